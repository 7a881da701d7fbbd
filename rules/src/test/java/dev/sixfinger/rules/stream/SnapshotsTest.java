package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotsTest {
  @Test
  void aRestoredTreeEmitsExactlyWhatAnUninterruptedOneDoes() {
    List<Event> events = RuleTree.randomEvents(42, 400);
    List<Event> uninterrupted = RuleTree.run(events, events.size());
    assertThat(uninterrupted).hasSizeGreaterThan(400);
    assertThat(uninterrupted)
        .extracting(e -> e.attributes().get("stage"))
        .contains(
            "stable",
            "rollup",
            "mean",
            "counter",
            "ddt",
            "ewma-timeless",
            "changed-state",
            "coalesce",
            "rate",
            "percentiles",
            "fixed-time",
            "moving-time",
            "fixed-events");

    for (int cut : new int[] {0, 1, 57, 200, 399}) {
      assertThat(RuleTree.run(events, cut)).as("cut at %d", cut).isEqualTo(uninterrupted);
    }
  }

  @Test
  void statelessTreesSnapshotToNull() {
    Streams s = new Streams(new StreamContext(0));
    Stream tree = s.where(e -> true, s.tag("x", new Sink()), s.with("a", "b", new Sink()));
    assertThat(Snapshots.snapshot(tree)).isNull();
    Snapshots.restore(tree, null);
  }

  @Test
  void aByForkSnapshotHoldsKeysAndForkState() {
    StreamContext ctx = new StreamContext(sec(0));
    Streams s = new Streams(ctx);
    Stream by = s.by(List.of("host"), f -> f.counter(new Sink()));
    by.accept(Ev.at(0, "a", "x", 5));
    Object snap = Snapshots.snapshot(by);
    assertThat(snap).isInstanceOf(Map.class);
    assertThat(snap.toString()).contains("key=a").contains("state=5");
  }

  @Test
  void aSnapshotThatDoesNotFitIsRejected() {
    Streams s = new Streams(new StreamContext(0));
    Stream counter = s.counter(new Sink());
    Stream stable = s.stable(Duration.ofSeconds(1), "state", new Sink());
    assertThatThrownBy(() -> Snapshots.restore(counter, Snapshots.snapshot(stable)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Snapshots.restore(s.tag("x", new Sink()), Map.of("state", 1)))
        .hasMessageContaining("keeps none");
  }
}
