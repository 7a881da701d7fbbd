package dev.sixfinger.benchmarks.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.benchmarks.alerting.StormAccounting.Carried;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Comparison;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Model;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Observed;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Transition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StormAccountingTest {
  private static final long S = 1_000_000_000L;
  private static final long WAIT = 1 * S;
  private static final long INTERVAL = 5 * S;

  private static Transition fire(int g, String fp, double at) {
    return new Transition(g, fp, true, (long) (at * S));
  }

  private static Transition resolve(int g, String fp, double at) {
    return new Transition(g, fp, false, (long) (at * S));
  }

  /** The timeline of alerting/README.md, with group_wait 1 s and group_interval 5 s. */
  @Test
  void followsTheTimingRules() {
    Model m =
        StormAccounting.expected(
            List.of(
                fire(0, "n1", 0),
                fire(0, "n2", 0.5), // joins during group_wait: in the first notification
                fire(0, "n3", 2), // waits for the flush at 6 s
                resolve(0, "n1", 7), // flush at 11 s
                resolve(0, "n3", 12),
                fire(0, "n3", 13), // flipped back before the flush at 16 s: nothing to tell
                resolve(0, "n2", 20),
                resolve(0, "n3", 20), // flush at 21 s resolves the incident; the group closes
                fire(0, "n4", 30), // a new group: group_wait again, flush at 31 s
                fire(1, "x", 0),
                resolve(1, "x", 0.5)), // resolved before anyone was told: nothing is sent
            WAIT,
            INTERVAL);
    assertThat(m.notifications()).isEqualTo(5); // 1 s, 6 s, 11 s, 21 s, 31 s
    assertThat(m.firstNotifications()).isEqualTo(2);
    assertThat(m.carried())
        .extracting(
            c -> c.t().fingerprint() + (c.t().firing() ? "+" : "-") + "@" + c.dueNanos() / S)
        .containsExactlyInAnyOrder(
            "n1+@1", "n2+@1", "n3+@6", "n1-@11", "n2-@21", "n3-@21", "n4+@31");
    assertThat(m.carried()).filteredOn(Carried::opener).hasSize(2);
    assertThat(m.finalFiring()).containsEntry(0, Set.of("n4")).containsEntry(1, Set.of());
  }

  @Test
  void measuresLatencyAndChecksTheFinalStateAndDuplicates() {
    List<Transition> ts =
        List.of(fire(0, "a", 0), fire(0, "b", 2), resolve(0, "a", 3), fire(1, "c", 0));
    Model m = StormAccounting.expected(ts, WAIT, INTERVAL);
    assertThat(m.notifications()).isEqualTo(3); // group 0 at 1 s and 6 s, group 1 at 1 s
    List<Observed> seen =
        List.of(
            new Observed((long) (1.2 * S), "d0", "trigger", Set.of("a")),
            new Observed((long) (1.4 * S), "d1", "trigger", Set.of("c")),
            new Observed((long) (6.3 * S), "d0", "trigger", Set.of("b")),
            new Observed((long) (6.5 * S), "d0", "trigger", Set.of("b"))); // a duplicate
    Comparison c =
        StormAccounting.compare(m, ts, seen, Map.of("a", 0, "b", 0, "c", 1), Set.of("d0"), 3, WAIT);
    assertThat(c.observed()).isEqualTo(4);
    assertThat(c.consecutiveDuplicates()).isEqualTo(1);
    assertThat(c.firstBeyondGroupWait().count()).isEqualTo(2);
    assertThat(c.firstBeyondGroupWait().max()).isEqualTo(400.0); // c: 1.4 s - 0 - 1 s
    assertThat(c.firstBeyondGroupWait().p50()).isEqualTo(200.0);
    // b (written at 2 s) and a's resolve (3 s) both carried by the event at 6.3 s, due at 6 s.
    assertThat(c.updateLatency().count()).isEqualTo(2);
    assertThat(c.updateLatency().max()).isEqualTo(4300.0);
    assertThat(c.updateBeyondDueFlush().max()).isEqualTo(300.0);
    assertThat(c.carriedNotSeen()).isZero();
    // Group 1 fires but its incident d1 is not open; group 2 never fired and is closed.
    assertThat(c.groupsShouldBeOpen()).isEqualTo(2);
    assertThat(c.groupsWrong()).isEqualTo(1);
    assertThat(c.wrongExamples()).containsExactly("group 1 fires but has no open incident");
  }

  @Test
  void aTransitionShownOnlyAfterTheAlertFlippedAgainIsNotMeasured() {
    List<Transition> ts = List.of(fire(0, "a", 0), resolve(0, "a", 1.5), fire(0, "a", 2.5));
    Model m = StormAccounting.expected(ts, WAIT, INTERVAL);
    // The model: a's firing told at 1 s, its resolve at 6 s... but a fires again at 2.5 s.
    assertThat(m.carried()).hasSize(1);
    List<Observed> late = List.of(new Observed(3 * S, "d0", "trigger", Set.of("a")));
    Comparison c = StormAccounting.compare(m, ts, late, Map.of("a", 0), Set.of("d0"), 1, WAIT);
    assertThat(c.carriedNotSeen()).isEqualTo(1);
    assertThat(c.firstBeyondGroupWait().count()).isZero();
  }

  @Test
  void parsesOptions() {
    assertThat(AlertStormBenchmark.parse(new String[] {"--help"})).isNull();
    AlertStormBenchmark.Options o =
        AlertStormBenchmark.parse(new String[] {"--rate", "30000", "--duration", "20"});
    assertThat(o.ratePerMinute()).isEqualTo(30_000);
    assertThat(o.durationSeconds()).isEqualTo(20);
    assertThat(o.groups()).isEqualTo(1_000);
    assertThat(AlertStormBenchmark.part("alerting-sender-3"))
        .isEqualTo("alerting sender (PagerDuty client)");
  }
}
