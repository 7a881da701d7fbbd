package dev.sixfinger.scheduler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.scheduler.ranking.Policy;
import dev.sixfinger.scheduler.simulator.SchedulerSimulator.PolicySpec;
import dev.sixfinger.scheduler.simulator.SchedulerSimulator.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerSimulatorTest {
  private static final SimulationConfig SMALL = SimulationConfig.defaults(11).scaled(40, 150, 4);

  @Test
  void sameSeedSameTable() {
    List<Row> a = SchedulerSimulator.run(SMALL, SchedulerSimulator.defaultPolicies());
    List<Row> b = SchedulerSimulator.run(SMALL, SchedulerSimulator.defaultPolicies());
    assertThat(a).isEqualTo(b);
    assertThat(SchedulerSimulator.format(a)).isEqualTo(SchedulerSimulator.format(b));
    List<Row> other =
        SchedulerSimulator.run(
            SimulationConfig.defaults(12).scaled(40, 150, 4), SchedulerSimulator.defaultPolicies());
    assertThat(other).isNotEqualTo(a);
  }

  @Test
  void everyJobCompletesAndHealthAwarePoliciesAvoidBadHosts() {
    List<Row> rows = SchedulerSimulator.run(SMALL, SchedulerSimulator.defaultPolicies());
    assertThat(rows)
        .extracting(Row::policy)
        .containsExactly("fcfs", "drf", "cumulative", "cumulative+preemption");
    for (Row r : rows) {
      assertThat(r.completed()).as(r.policy()).isEqualTo(r.jobs());
      assertThat(r.cpuUtilization()).isBetween(0.0, 1.0);
      assertThat(r.jainIndex()).isBetween(0.0, 1.0);
    }
    // Without health, work keeps landing on and finishing on bad hosts; with it, only what ends
    // within the drain grace does.
    assertThat(rows.get(2).ranOnUnhealthyHosts()).isLessThan(rows.get(0).ranOnUnhealthyHosts());
    assertThat(rows.get(0).preemptions()).isZero();
    String table = SchedulerSimulator.format(rows);
    assertThat(table.lines()).hasSize(5);
    assertThat(table).startsWith("policy").contains("cumulative+preemption");
  }

  @Test
  void cumulativeShareGivesLightUsersLowerP95WaitThanFcfsOnTheDefaultTrace() {
    List<Row> rows =
        SchedulerSimulator.run(
            SimulationConfig.defaults(7),
            List.of(
                new PolicySpec("fcfs", Policy.FCFS, false, false),
                new PolicySpec("cumulative", Policy.CUMULATIVE, false, true)));
    Row fcfs = rows.get(0);
    Row cumulative = rows.get(1);
    assertThat(cumulative.light().p95Minutes()).isLessThan(fcfs.light().p95Minutes());
    assertThat(cumulative.light().jobs()).isEqualTo(400);
  }
}
