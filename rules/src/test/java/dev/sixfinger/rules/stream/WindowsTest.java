package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final BatchSink batches = new BatchSink();

  @Test
  void movingTimeWindowKeepsWhatIsWithinDtOfTheLatestTime() {
    Stream window = s.movingTimeWindow(Duration.ofSeconds(10), batches);
    window.accept(Ev.at(0, 0));
    window.accept(Ev.at(5, 5));
    // The window is (latest - 10 s, latest]: the event at 0 leaves when one at 10 arrives.
    window.accept(Ev.at(10, 10));
    assertThat(batches.metrics()).containsExactly(List.of(0L), List.of(0L, 5L), List.of(5L, 10L));
  }

  @Test
  void movingTimeWindowTakesLateEventsStillInsideAndDropsOlderOnes() {
    Stream window = s.movingTimeWindow(Duration.ofSeconds(10), batches);
    window.accept(Ev.at(5, 5));
    window.accept(Ev.at(12, 12));
    window.accept(Ev.at(7, 7));
    // At the cutoff (12 - 10): dropped, and nothing emitted.
    window.accept(Ev.at(2, 2));
    assertThat(batches.metrics())
        .containsExactly(List.of(5L), List.of(5L, 12L), List.of(5L, 12L, 7L));

    window.accept(Ev.at(16, 16));
    // Arrival order is kept; the event at 5 is now at or before the cutoff (16 - 10).
    assertThat(batches.metrics()).hasSize(4).endsWith(List.of(12L, 7L, 16L));
  }

  @Test
  void movingTimeWindowGivesUntimedEventsTheContextsTime() {
    Stream window = s.movingTimeWindow(Duration.ofSeconds(10), batches);
    window.accept(Event.builder().metric(1L).build());
    ctx.advanceTo(sec(20));
    window.accept(Ev.at(20, 2));
    assertThat(batches.metrics()).containsExactly(List.of(1L), List.of(2L));
  }

  @Test
  void fixedTimeWindowEmitsEachWindowWhenAnEventPastItsEndArrives() {
    Stream window = s.fixedTimeWindow(Duration.ofSeconds(10), batches);
    window.accept(Ev.at(0, 0));
    window.accept(Ev.at(3, 3));
    window.accept(Ev.at(9.999999, 9));
    assertThat(batches.batches).isEmpty();

    window.accept(Ev.at(10, 10));
    assertThat(batches.metrics()).containsExactly(List.of(0L, 3L, 9L));

    // Late for an emitted window: dropped. Late within the current one: kept.
    window.accept(Ev.at(2, 2));
    window.accept(Ev.at(15, 15));
    window.accept(Ev.at(11, 11));
    // A gap: the empty window [20, 30) is not emitted.
    window.accept(Ev.at(35, 35));
    window.accept(Ev.at(39, 39));
    window.accept(Ev.at(40, 40));
    assertThat(batches.metrics())
        .containsExactly(List.of(0L, 3L, 9L), List.of(10L, 15L, 11L), List.of(35L, 39L));
  }

  @Test
  void fixedTimeWindowPutsUntimedEventsInTheCurrentWindow() {
    Stream window = s.fixedTimeWindow(Duration.ofSeconds(10), batches);
    Event untimed = Event.builder().metric(7L).build();
    window.accept(untimed);
    window.accept(Ev.at(0, 0));
    window.accept(Ev.at(10, 10));
    assertThat(batches.metrics()).containsExactly(List.of(7L, 0L));
  }

  @Test
  void fixedTimeWindowSnapshot() {
    Stream window = s.fixedTimeWindow(Duration.ofSeconds(10), batches);
    window.accept(Ev.at(0, 0));
    window.accept(Ev.at(4, 4));
    BatchSink other = new BatchSink();
    Stream fresh = s.fixedTimeWindow(Duration.ofSeconds(10), other);
    Snapshots.restore(fresh, Snapshots.snapshot(window));
    fresh.accept(Ev.at(10, 10));
    assertThat(other.metrics()).containsExactly(List.of(0L, 4L));
  }

  @Test
  void movingEventWindowEmitsTheLastNOnEveryEvent() {
    Stream window = s.movingEventWindow(3, batches);
    for (int i = 1; i <= 5; i++) {
      window.accept(Ev.at(i, i));
    }
    assertThat(batches.metrics())
        .containsExactly(
            List.of(1L),
            List.of(1L, 2L),
            List.of(1L, 2L, 3L),
            List.of(2L, 3L, 4L),
            List.of(3L, 4L, 5L));
  }

  @Test
  void fixedEventWindowEmitsEveryN() {
    Stream window = s.fixedEventWindow(2, batches);
    for (int i = 1; i <= 5; i++) {
      window.accept(Ev.at(i, i));
    }
    assertThat(batches.metrics()).containsExactly(List.of(1L, 2L), List.of(3L, 4L));

    BatchSink other = new BatchSink();
    Stream fresh = s.fixedEventWindow(2, other);
    Snapshots.restore(fresh, Snapshots.snapshot(window));
    fresh.accept(Ev.at(6, 6));
    assertThat(other.metrics()).containsExactly(List.of(5L, 6L));
  }

  @Test
  void movingWindowsSurviveSnapshots() {
    Stream events = s.movingEventWindow(2, batches);
    Stream times = s.movingTimeWindow(Duration.ofSeconds(10), batches);
    events.accept(Ev.at(1, 1));
    times.accept(Ev.at(1, 1));
    BatchSink other = new BatchSink();
    Stream events2 = s.movingEventWindow(2, other);
    Stream times2 = s.movingTimeWindow(Duration.ofSeconds(10), other);
    Snapshots.restore(events2, Snapshots.snapshot(events));
    Snapshots.restore(times2, Snapshots.snapshot(times));
    events2.accept(Ev.at(2, 2));
    times2.accept(Ev.at(2, 2));
    assertThat(other.metrics()).containsExactly(List.of(1L, 2L), List.of(1L, 2L));
  }
}
