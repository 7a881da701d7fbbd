package dev.sixfinger.benchmarks.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scheduler benchmark's workload and both systems under test, small: both place jobs and {@link
 * Utilization#of} finds no host over-committed, no constraint broken, no job placed twice.
 */
class SchedulerWorkloadTest {
  private static final SchedulerWorkload W = SchedulerWorkload.generate(600, 40, 7);

  @Test
  void workloadIsSeededAndShapedLikeTheSeedWorkload() {
    SchedulerWorkload again = SchedulerWorkload.generate(600, 40, 7);
    assertThat(again.pending()).isEqualTo(W.pending());
    assertThat(again.running()).isEqualTo(W.running());
    assertThat(W.pending())
        .allSatisfy(
            j -> {
              assertThat(j.milliCpus()).isBetween(1_000L, 20_000L);
              assertThat(j.memMib()).isBetween(10 * 1024L, 100 * 1024L);
            });
    assertThat(W.pending()).anyMatch(j -> j.constraint() != null);
    assertThat(W.running()).isNotEmpty();
    // The running jobs alone fit their hosts.
    assertThat(Utilization.of(W, Map.of()).cpuBefore()).isBetween(0.0, 1.0);
  }

  @Test
  void ourCyclePlacesWithoutOverCommittingAndIsRepeatable() {
    try (CycleUnderTest c = CycleUnderTest.create("ours", W)) {
      c.prepare();
      Map<String, String> first = c.cycle();
      Utilization u = Utilization.of(W, first);
      assertThat(u.placed()).isPositive();
      assertThat(u.cpu()).isGreaterThan(u.cpuBefore());
      // The cycle changes no state, so the benchmark's repeated calls are each one full cycle.
      c.prepare();
      assertThat(c.cycle()).isEqualTo(first);
    }
  }

  @Test
  void fenzoCyclePlacesWithoutOverCommittingFromAFreshScheduler() {
    try (CycleUnderTest c = CycleUnderTest.create("fenzo", W)) {
      c.prepare();
      Utilization first = Utilization.of(W, c.cycle());
      assertThat(first.placed()).isPositive();
      assertThat(first.cpu()).isGreaterThan(first.cpuBefore());
      c.prepare();
      Utilization second = Utilization.of(W, c.cycle());
      assertThat(second.placed()).isEqualTo(first.placed());
    }
  }

  @Test
  void fenzoGetsThePendingJobsInOurRankingsOrder() {
    // Our placements come out in rank order; Fenzo's order, filtered to those jobs, must agree.
    List<String> ours =
        new OurCycle(W)
            .events().stream()
                .filter(e -> e instanceof SchedulerEvent.InstanceStarted)
                .map(e -> ((SchedulerEvent.InstanceStarted) e).uuid())
                .toList();
    Set<String> placed = Set.copyOf(ours);
    assertThat(ours).hasSizeGreaterThan(100);
    assertThat(
            FenzoCycle.rankedOrder(W).stream()
                .map(SchedulerWorkload.JobSpec::uuid)
                .filter(placed::contains)
                .toList())
        .isEqualTo(ours);
  }
}
