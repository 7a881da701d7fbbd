package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleRollupTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();
  private final BatchSink batches = new BatchSink();

  @Test
  void throttlePassesNPerWindowOfContextTime() {
    Stream throttle = s.throttle(2, Duration.ofSeconds(10), sink);
    for (int i = 1; i <= 3; i++) {
      throttle.accept(Ev.at(0, i));
    }
    ctx.advanceTo(sec(9.999999));
    throttle.accept(Ev.at(0, 4));
    ctx.advanceTo(sec(10));
    throttle.accept(Ev.at(0, 5));
    throttle.accept(Ev.at(0, 6));
    throttle.accept(Ev.at(0, 7));
    ctx.advanceTo(sec(35));
    throttle.accept(Ev.at(0, 8));

    assertThat(sink.metrics()).containsExactly(1L, 2L, 5L, 6L, 8L);
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void throttleWindowsAreAnchoredWhereTheStageWasBuilt() {
    ctx.advanceTo(sec(3));
    Stream throttle = s.throttle(1, Duration.ofSeconds(10), sink);
    ctx.advanceTo(sec(4));
    throttle.accept(Ev.at(0, 1));
    ctx.advanceTo(sec(12.9));
    throttle.accept(Ev.at(0, 2));
    ctx.advanceTo(sec(13));
    throttle.accept(Ev.at(0, 3));
    assertThat(sink.metrics()).containsExactly(1L, 3L);
  }

  @Test
  void throttleStateSurvivesASnapshot() {
    Stream throttle = s.throttle(2, Duration.ofSeconds(10), sink);
    throttle.accept(Ev.at(0, 1));
    Object snap = Snapshots.snapshot(throttle);

    StreamContext later = new StreamContext(sec(5));
    Sink other = new Sink();
    Stream fresh = new Streams(later).throttle(2, Duration.ofSeconds(10), other);
    Snapshots.restore(fresh, snap);
    fresh.accept(Ev.at(0, 2));
    fresh.accept(Ev.at(0, 3));
    assertThat(other.metrics()).containsExactly(2L);
  }

  @Test
  void throttleRejectsAZeroCount() {
    assertThatThrownBy(() -> s.throttle(0, Duration.ofSeconds(1), sink))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> s.throttle(1, Duration.ZERO, sink))
        .hasMessageContaining("throttle period");
  }

  @Test
  void rollupPassesNSinglesThenTheRestAsOneListAtTheWindowEnd() {
    Stream rollup = s.rollup(2, Duration.ofSeconds(10), batches);
    for (int i = 1; i <= 4; i++) {
      rollup.accept(Ev.at(0, i));
    }
    assertThat(batches.metrics()).containsExactly(List.of(1L), List.of(2L));

    ctx.advanceTo(sec(9.999999));
    assertThat(batches.batches).hasSize(2);
    ctx.advanceTo(sec(10));
    assertThat(batches.metrics()).containsExactly(List.of(1L), List.of(2L), List.of(3L, 4L));

    // The flush used one of this window's two calls.
    rollup.accept(Ev.at(10, 5));
    rollup.accept(Ev.at(10, 6));
    assertThat(batches.metrics()).endsWith(List.of(5L));
    ctx.advanceTo(sec(20));
    assertThat(batches.metrics()).endsWith(List.of(5L), List.of(6L));
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void rollupStartsAFreshWindowAfterAQuietOne() {
    Stream rollup = s.rollup(1, Duration.ofSeconds(10), batches);
    rollup.accept(Ev.at(0, 1));
    rollup.accept(Ev.at(0, 2));
    ctx.advanceTo(sec(25));
    rollup.accept(Ev.at(25, 3));
    assertThat(batches.metrics()).containsExactly(List.of(1L), List.of(2L), List.of(3L));
  }

  @Test
  void rollupBufferSurvivesASnapshot() {
    Stream rollup = s.rollup(1, Duration.ofSeconds(10), batches);
    rollup.accept(Ev.at(0, 1));
    rollup.accept(Ev.at(0, 2));
    Object snap = Snapshots.snapshot(rollup);

    StreamContext later = new StreamContext(sec(5));
    BatchSink other = new BatchSink();
    Stream fresh = new Streams(later).rollup(1, Duration.ofSeconds(10), other);
    Snapshots.restore(fresh, snap);
    later.advanceTo(sec(10));
    assertThat(other.metrics()).containsExactly(List.of(2L));
  }
}
