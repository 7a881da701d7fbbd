package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();
  private final Stream rate = s.rate(Duration.ofSeconds(10), sink);

  private static Event ev(String service, Number metric) {
    return Ev.at(0, "h1", service, metric).toBuilder().ttl(60f).build();
  }

  @Test
  void emitsTheSumPerSecondEveryIntervalOnTheLatestEventWithAMetric() {
    rate.accept(ev("a", 10));
    rate.accept(ev("b", 20));
    rate.accept(ev("c", null));
    ctx.advanceTo(sec(9.999999));
    assertThat(sink.events).isEmpty();

    ctx.advanceTo(sec(10));
    assertThat(sink.events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.metric()).isEqualTo(3.0);
              assertThat(e.service()).isEqualTo("b");
              assertThat(e.timeMicros()).isEqualTo(sec(10));
              assertThat(e.ttl()).isEqualTo(60f);
            });
  }

  @Test
  void quietIntervalsEmitZeroWithADecayingTtlUntilTheLatestEventExpires() {
    rate.accept(ev("a", 10));
    ctx.advanceTo(sec(100));
    assertThat(sink.metrics()).containsExactly(1.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    assertThat(sink.events).extracting(Event::ttl).containsExactly(60f, 50f, 40f, 30f, 20f, 10f);
    assertThat(ctx.pendingTimers()).isZero();

    ctx.advanceTo(sec(101));
    rate.accept(ev("a", 50).toBuilder().timeMicros(sec(101)).build());
    ctx.advanceTo(sec(111));
    assertThat(sink.metrics()).endsWith(5.0);
  }

  @Test
  void anExpiredEventStopsTheTicksAndClearsTheSum() {
    rate.accept(ev("a", 10));
    ctx.advanceTo(sec(5));
    rate.accept(Ev.expired(5, "h1", "a"));
    ctx.advanceTo(sec(30));
    assertThat(sink.events).isEmpty();
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void aSnapshotCarriesTheSumAndTheNextTick() {
    rate.accept(ev("a", 10));
    Object snap = Snapshots.snapshot(rate);
    StreamContext later = new StreamContext(sec(4));
    Sink other = new Sink();
    Stream fresh = new Streams(later).rate(Duration.ofSeconds(10), other);
    Snapshots.restore(fresh, snap);
    later.advanceTo(sec(10));
    assertThat(other.metrics()).containsExactly(1.0);
  }
}
