package dev.sixfinger.scheduler.matching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.TestClock;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.ranking.Policy;
import dev.sixfinger.scheduler.ranking.Quota;
import dev.sixfinger.scheduler.ranking.Quotas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random clusters and queues: after every cycle no host is over-committed, and every waiting job's
 * explanation is true of the state.
 */
class MatchingPropertiesTest {

  @Property(tries = 300)
  void noOverCommitAndExplanationsAreTrue(@ForAll long seed) {
    Random rnd = new Random(seed);
    TestClock clock = new TestClock();
    Policy policy = List.of(Policy.FCFS, Policy.DRF, Policy.CUMULATIVE).get(rnd.nextInt(3));
    Quotas quotas =
        rnd.nextBoolean()
            ? new Quotas(
                Map.of("default", new Quota(8 + rnd.nextInt(24), 1L << 40, 3 + rnd.nextInt(5))))
            : Quotas.unlimited();
    Scheduler s =
        new Scheduler(SchedulerConfig.defaults().withPolicy(policy).withQuotas(quotas), clock);
    int hosts = 1 + rnd.nextInt(12);
    for (int i = 0; i < hosts; i++) {
      Resources cap =
          new Resources(
              1000L * (1 + rnd.nextInt(16)),
              1024L * (1 + rnd.nextInt(32)),
              rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4) : 0);
      s.applied(s.upsertHost("h" + i, cap, Map.of("rack", "r" + rnd.nextInt(3))));
    }
    for (int i = 0; i < hosts; i++) {
      int r = rnd.nextInt(8);
      if (r == 0) {
        s.applied(s.override("h" + i, HealthState.CORDONED, TestClock.MINUTE * 60, "op", "test"));
      } else if (r == 1) {
        s.applied(s.override("h" + i, HealthState.DRAINING, TestClock.MINUTE * 60, "op", "test"));
      }
    }
    int jobs = rnd.nextInt(40);
    List<Job> batch = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Job.Builder b =
          Job.builder("j" + i, "u" + rnd.nextInt(4), "c")
              .cpus(0.5 * (1 + rnd.nextInt(16)))
              .memMib(512L * (1 + rnd.nextInt(48)))
              .priority(rnd.nextInt(101))
              .maxRetries(1 + rnd.nextInt(3));
      if (rnd.nextInt(6) == 0) {
        b.gpus(1 + rnd.nextInt(3));
      }
      if (rnd.nextInt(4) == 0) {
        b.constraint(
            "rack",
            rnd.nextBoolean() ? Constraint.Op.EQUALS : Constraint.Op.NOT_EQUALS,
            "r" + rnd.nextInt(4));
      }
      batch.add(b.build());
    }
    s.applied(s.submit(batch));
    for (int round = 0; round < 4; round++) {
      clock.advance(TestClock.SECOND);
      s.applied(s.cycle(clock.nowMicros()));
      check(s);
      // Fail or finish some instances, so that retries avoid hosts they failed on.
      for (JobStatus j : List.copyOf(s.state().jobs().values())) {
        Instance i = j.activeInstance();
        if (i != null && rnd.nextInt(3) == 0) {
          InstanceState to = rnd.nextBoolean() ? InstanceState.FAILED : InstanceState.SUCCESS;
          s.applied(
              s.instanceUpdate(
                  i.taskId(), to, to == InstanceState.FAILED ? Reason.NONZERO_EXIT : null));
        }
      }
    }
  }

  private static void check(Scheduler s) {
    Map<String, Resources> used = new HashMap<>();
    for (JobStatus j : s.state().jobs().values()) {
      Instance i = j.activeInstance();
      if (i != null) {
        used.merge(i.host(), j.job().resources(), Resources::plus);
      }
    }
    for (Host h : s.state().cluster().all()) {
      Resources u = used.getOrDefault(h.name(), Resources.ZERO);
      assertThat(h.used()).isEqualTo(u);
      assertThat(h.capacity().covers(u))
          .as("host %s over-committed: %s of %s", h.name(), u, h.capacity())
          .isTrue();
    }
    for (JobStatus j : s.state().jobs().values()) {
      if (j.state() != JobState.WAITING) {
        continue;
      }
      JobExplanation e = s.explain(j.uuid());
      assertThat(e.kind()).as(e.message()).isNotEqualTo(JobExplanation.Kind.SCHEDULABLE);
      assertTrue(s, j, e);
    }
  }

  /** Re-derives the claim of each kind of explanation from the state. */
  private static void assertTrue(Scheduler s, JobStatus j, JobExplanation e) {
    Job job = j.job();
    Resources need = job.resources();
    List<Host> all = List.copyOf(s.state().cluster().all());
    List<Host> matching =
        all.stream()
            .filter(h -> job.constraints().stream().allMatch(c -> c.test(h.attributes())))
            .toList();
    Set<String> failed = j.failedHosts();
    List<Host> novel = matching.stream().filter(h -> !failed.contains(h.name())).toList();
    List<Host> healthy =
        novel.stream().filter(h -> s.state().health().state(h.name()).placeable()).toList();
    switch (e.kind()) {
      case OVER_QUOTA -> {
        Quota q = s.config().quotas().of(job.user());
        Resources running = Resources.ZERO;
        int count = 0;
        for (JobStatus o : s.state().jobs().values()) {
          if (o.activeInstance() != null && o.job().user().equals(job.user())) {
            running = running.plus(o.job().resources());
            count++;
          }
        }
        boolean over =
            count + 1 > q.count()
                || running.milliCpus() + need.milliCpus() > Math.round(q.cpus() * 1000)
                || running.memMib() + need.memMib() > q.memMib();
        assertThat(over).as(e.message()).isTrue();
      }
      case CONSTRAINTS_EXCLUDE_ALL -> assertThat(matching).as(e.message()).isEmpty();
      case PREVIOUSLY_FAILED -> {
        assertThat(matching).isNotEmpty();
        assertThat(novel).as(e.message()).isEmpty();
      }
      case ALL_CORDONED_OR_DRAINING -> {
        assertThat(novel).isNotEmpty();
        assertThat(healthy).as(e.message()).isEmpty();
      }
      case NOT_ENOUGH_MEMORY ->
          assertThat(healthy)
              .as(e.message())
              .allMatch(h -> h.free().memMib() < need.memMib())
              .isNotEmpty();
      case NOT_ENOUGH_CPUS ->
          assertThat(healthy)
              .as(e.message())
              .allMatch(h -> h.free().milliCpus() < need.milliCpus())
              .isNotEmpty();
      case NOT_ENOUGH_GPUS ->
          assertThat(healthy)
              .as(e.message())
              .allMatch(h -> h.free().gpus() < need.gpus())
              .isNotEmpty();
      case NO_SINGLE_HOST -> {
        assertThat(healthy).as(e.message()).noneMatch(h -> h.free().covers(need));
        assertThat(healthy).anyMatch(h -> h.free().memMib() >= need.memMib());
        assertThat(healthy).anyMatch(h -> h.free().milliCpus() >= need.milliCpus());
      }
      case RESERVED_FOR_OTHER ->
          assertThat(healthy)
              .filteredOn(h -> h.free().covers(need))
              .isNotEmpty()
              .allMatch(h -> s.state().reservations().containsKey(h.name()));
      case NO_HOSTS -> assertThat(all).isEmpty();
      default -> throw new AssertionError("unexpected explanation for a waiting job: " + e);
    }
  }
}
