package dev.sixfinger.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.TestClock;
import dev.sixfinger.scheduler.health.HealthConfig;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.job.DuplicateJobException;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.NotFoundException;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Host;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.ranking.Shares;
import dev.sixfinger.scheduler.rebalancer.RebalancerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random command sequences: replaying the emitted events (as objects, as JSON, and after a
 * snapshot) gives an equal state, and no job is lost or duplicated.
 */
class ReplayPropertiesTest {

  @Property(tries = 150)
  void replayGivesAnEqualState(@ForAll long seed) {
    Random rnd = new Random(seed);
    TestClock clock = new TestClock();
    SchedulerConfig config =
        SchedulerConfig.defaults()
            .withShares(Shares.uniform(new Share(8, 8192, 0)))
            .withRebalancer(
                rnd.nextBoolean()
                    ? new RebalancerConfig(true, 1.0, 0.5, 5, 20)
                    : RebalancerConfig.OFF)
            .withHealth(new HealthConfig(0.3, 2, 30 * TestClock.SECOND, Set.of("dry")));
    Scheduler live = new Scheduler(config, clock);
    List<SchedulerEvent> log = new ArrayList<>();
    Set<String> accepted = new LinkedHashSet<>();
    byte[] snapshot = null;
    int snapshotAt = -1;
    int steps = 20 + rnd.nextInt(80);
    for (int step = 0; step < steps; step++) {
      clock.advance(rnd.nextInt(20) * TestClock.SECOND);
      List<SchedulerEvent> events;
      try {
        events = command(live, rnd, clock, accepted);
      } catch (DuplicateJobException | NotFoundException e) {
        continue; // refused commands write nothing
      }
      live.apply(events);
      log.addAll(events);
      if (snapshot == null && rnd.nextInt(30) == 0) {
        snapshot = live.snapshot();
        snapshotAt = log.size();
      }
    }
    SchedulerState replayed = new SchedulerState();
    log.forEach(replayed::apply);
    assertThat(replayed).isEqualTo(live.state());

    SchedulerState fromJson = new SchedulerState();
    log.forEach(e -> fromJson.apply(SchedulerEventJson.parse(SchedulerEventJson.toBytes(e))));
    assertThat(fromJson).isEqualTo(live.state());

    if (snapshot != null) {
      SchedulerState restored = SchedulerSnapshot.read(snapshot);
      log.subList(snapshotAt, log.size()).forEach(restored::apply);
      assertThat(restored).isEqualTo(live.state());
    }
    assertThat(SchedulerSnapshot.read(live.snapshot())).isEqualTo(live.state());

    // No job lost or duplicated, and usage is exactly what runs.
    assertThat(live.state().jobs().keySet()).containsExactlyInAnyOrderElementsOf(accepted);
    Map<String, Resources> used = new HashMap<>();
    for (JobStatus j : live.state().jobs().values()) {
      assertThat(j.instances().stream().filter(Instance::active).count()).isLessThanOrEqualTo(1);
      if (j.activeInstance() != null) {
        used.merge(j.activeInstance().host(), j.job().resources(), Resources::plus);
      }
    }
    for (Host h : live.state().cluster().all()) {
      assertThat(h.used()).isEqualTo(used.getOrDefault(h.name(), Resources.ZERO));
    }
  }

  private static List<SchedulerEvent> command(
      Scheduler s, Random rnd, TestClock clock, Set<String> accepted) {
    int hosts = 6;
    return switch (rnd.nextInt(10)) {
      case 0 ->
          s.upsertHost(
              "h" + rnd.nextInt(hosts),
              Resources.of(2 + rnd.nextInt(14), 1024L * (2 + rnd.nextInt(14)), 0),
              Map.of("rack", "r" + rnd.nextInt(2)));
      case 1, 2 -> {
        List<Job> jobs = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          jobs.add(
              Job.builder("j" + rnd.nextInt(60), "u" + rnd.nextInt(3), "c")
                  .cpus(1 + rnd.nextInt(4))
                  .memMib(512L * (1 + rnd.nextInt(8)))
                  .priority(rnd.nextInt(101))
                  .maxRetries(1 + rnd.nextInt(3))
                  .maxRuntimeMicros(TestClock.MINUTE * (1 + rnd.nextInt(10)))
                  .build());
        }
        List<SchedulerEvent> events = s.submit(jobs);
        jobs.forEach(j -> accepted.add(j.uuid()));
        yield events;
      }
      case 3 -> s.kill("j" + rnd.nextInt(60), "op");
      case 4, 5 -> {
        List<String> active = new ArrayList<>();
        for (JobStatus j : s.state().activeJobs()) {
          if (j.activeInstance() != null) {
            active.add(j.activeInstance().taskId());
          }
        }
        if (active.isEmpty()) {
          yield s.cycle(clock.nowMicros());
        }
        String task = active.get(rnd.nextInt(active.size()));
        InstanceState to =
            List.of(InstanceState.RUNNING, InstanceState.SUCCESS, InstanceState.FAILED)
                .get(rnd.nextInt(3));
        List<Reason> reasons = List.of(Reason.values());
        Reason r = reasons.get(rnd.nextInt(reasons.size()));
        yield s.instanceUpdate(task, to, to.terminal() ? r : null);
      }
      case 6 -> {
        String h = "h" + rnd.nextInt(hosts);
        String action = List.of("drain", "cordon", "none").get(rnd.nextInt(3));
        long now = clock.nowMicros();
        List<HealthRecord.Decision> d =
            action.equals("none")
                ? List.of()
                : List.of(
                    new HealthRecord.Decision(
                        rnd.nextInt(4) == 0 ? "dry" : "rule", action, "why", "fp", now, List.of()));
        yield s.healthRecord(
            new HealthRecord(h, action, now, now + TestClock.MINUTE * rnd.nextInt(3), d));
      }
      case 7 -> {
        if (rnd.nextBoolean()) {
          yield s.override(
              "h" + rnd.nextInt(hosts),
              List.of(HealthState.HEALTHY, HealthState.CORDONED, HealthState.DRAINING)
                  .get(rnd.nextInt(3)),
              TestClock.MINUTE * (1 + rnd.nextInt(3)),
              "op",
              "test");
        }
        yield s.clearOverride("h" + rnd.nextInt(hosts), "op");
      }
      default -> s.cycle(clock.nowMicros());
    };
  }
}
