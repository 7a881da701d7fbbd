package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();
  private final Stream percentiles =
      s.percentiles(Duration.ofSeconds(10), List.of(0.0, 0.5, 0.99, 1.0), sink);

  @Test
  void emitsOneEventPerPointWithTheServiceSuffixedAtTheEndOfEachInterval() {
    for (int m = 100; m >= 1; m--) {
      percentiles.accept(Ev.at(0, "h1", "api latency", m));
    }
    ctx.advanceTo(sec(10));
    assertThat(sink.events)
        .extracting(Event::service)
        .containsExactly("api latency 0", "api latency 0.5", "api latency 0.99", "api latency 1");
    assertThat(sink.metrics()).containsExactly(1L, 51L, 100L, 100L);

    ctx.advanceTo(sec(20));
    assertThat(sink.events).hasSize(4);

    percentiles.accept(Ev.at(20, "h1", "api latency", 7));
    ctx.advanceTo(sec(30));
    assertThat(sink.metrics()).endsWith(7L, 7L, 7L, 7L);
  }

  @Test
  void anExpiredEventDiscardsTheIntervalAndStops() {
    percentiles.accept(Ev.at(0, 5));
    percentiles.accept(Ev.expired(0, "h1", "svc"));
    ctx.advanceTo(sec(30));
    assertThat(sink.events).isEmpty();
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void aSnapshotCarriesTheInterval() {
    percentiles.accept(Ev.at(0, 5));
    Object snap = Snapshots.snapshot(percentiles);
    StreamContext later = new StreamContext(sec(3));
    Sink other = new Sink();
    Stream fresh = new Streams(later).percentiles(Duration.ofSeconds(10), List.of(0.5), other);
    Snapshots.restore(fresh, snap);
    later.advanceTo(sec(10));
    assertThat(other.metrics()).containsExactly(5L);
  }
}
