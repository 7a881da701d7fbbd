package dev.sixfinger.rules.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import org.junit.jupiter.api.Test;

class ChangedTest {
  private final Streams s = new Streams(new StreamContext(Ev.sec(0)));
  private final Sink sink = new Sink();

  @Test
  void passesOnlyChangesComparedWithTheInitialValueFirst() {
    Stream changed = s.changed("state", "ok", sink);
    for (String state : new String[] {"ok", "ok", "warning", "warning", "ok", "critical"}) {
      changed.accept(Ev.state(0, "h", state));
    }
    assertThat(sink.events).extracting(Event::state).containsExactly("warning", "ok", "critical");
  }

  @Test
  void withoutAnInitialValueTheFirstEventIsAChange() {
    Stream changed = s.changed("state", sink);
    changed.accept(Ev.state(0, "h", "ok"));
    changed.accept(Ev.state(1, "h", "ok"));
    assertThat(sink.events).hasSize(1);
  }

  @Test
  void worksOnAnyFunctionOfTheEvent() {
    Stream changed = s.changed(e -> e.metricAsDouble() > 2, false, sink);
    for (int m : new int[] {1, 3, 4, 1, 0, 5}) {
      changed.accept(Ev.at(0, m));
    }
    assertThat(sink.metrics()).containsExactly(3L, 1L, 5L);
  }

  @Test
  void changedStateTracksEachHostAndServiceApart() {
    Stream changed = s.changedState("ok", sink);
    changed.accept(Ev.state(0, "a", "critical"));
    changed.accept(Ev.state(0, "b", "ok"));
    changed.accept(Ev.state(1, "a", "critical"));
    changed.accept(Ev.state(1, "b", "critical"));
    changed.accept(Ev.state(2, "a", "ok"));
    assertThat(sink.events)
        .extracting(e -> e.host() + ":" + e.state())
        .containsExactly("a:critical", "b:critical", "a:ok");
  }

  @Test
  void snapshotKeepsThePreviousValue() {
    Stream changed = s.changed("state", "ok", sink);
    changed.accept(Ev.state(0, "h", "critical"));
    Object snap = Snapshots.snapshot(changed);

    Sink other = new Sink();
    Stream fresh = s.changed("state", "ok", other);
    Snapshots.restore(fresh, snap);
    fresh.accept(Ev.state(1, "h", "critical"));
    fresh.accept(Ev.state(2, "h", "ok"));
    assertThat(other.events).extracting(Event::state).containsExactly("ok");
  }
}
