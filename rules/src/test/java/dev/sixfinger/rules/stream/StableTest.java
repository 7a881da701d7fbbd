package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StableTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();
  private final Stream stable = s.stable(Duration.ofSeconds(5), "state", sink);

  @Test
  void anEventDtAfterTheChangeReleasesTheBufferThenEventsPassStraightThrough() {
    stable.accept(Ev.state(0, "h", "critical"));
    stable.accept(Ev.state(2, "h", "critical"));
    stable.accept(Ev.state(4.999999, "h", "critical"));
    assertThat(sink.events).isEmpty();

    stable.accept(Ev.state(5, "h", "critical"));
    assertThat(sink.times()).containsExactly(sec(0), sec(2), sec(4.999999), sec(5));

    stable.accept(Ev.state(6, "h", "critical"));
    assertThat(sink.times()).endsWith(sec(6));
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void theClockReleasesTheBufferWhenNoFurtherEventArrives() {
    stable.accept(Ev.state(0, "h", "critical"));
    stable.accept(Ev.state(2, "h", "critical"));
    ctx.advanceTo(sec(4.9));
    assertThat(sink.events).isEmpty();

    ctx.advanceTo(sec(5));
    assertThat(sink.times()).containsExactly(sec(0), sec(2));

    stable.accept(Ev.state(7, "h", "critical"));
    assertThat(sink.times()).containsExactly(sec(0), sec(2), sec(7));
  }

  @Test
  void aFlapResetsTheWait() {
    stable.accept(Ev.state(0, "h", "critical"));
    stable.accept(Ev.state(3, "h", "ok"));
    stable.accept(Ev.state(4, "h", "critical"));
    ctx.advanceTo(sec(5));
    assertThat(sink.events).isEmpty();

    stable.accept(Ev.state(8, "h", "critical"));
    ctx.advanceTo(sec(8.9));
    assertThat(sink.events).isEmpty();

    ctx.advanceTo(sec(9));
    assertThat(sink.times()).containsExactly(sec(4), sec(8));
    assertThat(sink.events).extracting(Event::state).containsOnly("critical");
  }

  @Test
  void aStableFalseConditionPassesTooAsInRiemann() {
    Stream over =
        s.stable(Duration.ofMinutes(5), e -> e.metricAsDouble() > 100, s.where(e -> true, sink));
    over.accept(Ev.at(0, 50));
    over.accept(Ev.at(300, 60));
    assertThat(sink.metrics()).containsExactly(50L, 60L);
  }

  @Test
  void eventsWithoutATimeUseTheContextsTime() {
    Event untimed = Event.builder().host("h").state("critical").build();
    stable.accept(untimed);
    ctx.advanceTo(sec(5));
    assertThat(sink.events).containsExactly(untimed);
  }

  @Test
  void aSnapshotCarriesTheBufferAndReArmsTheTimer() {
    stable.accept(Ev.state(0, "h", "critical"));
    stable.accept(Ev.state(1, "h", "critical"));
    Object snap = Snapshots.snapshot(stable);

    StreamContext ctx2 = new StreamContext(sec(1));
    Sink other = new Sink();
    Stream fresh = new Streams(ctx2).stable(Duration.ofSeconds(5), "state", other);
    Snapshots.restore(fresh, snap);
    assertThat(ctx2.pendingTimers()).isEqualTo(1);
    ctx2.advanceTo(sec(5));
    assertThat(other.times()).containsExactly(sec(0), sec(1));
  }
}
