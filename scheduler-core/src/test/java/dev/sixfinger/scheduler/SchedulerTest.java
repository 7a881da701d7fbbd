package dev.sixfinger.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.scheduler.job.DuplicateJobException;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.InvalidJobException;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.NotFoundException;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.JobExplanation;
import dev.sixfinger.scheduler.ranking.Quota;
import dev.sixfinger.scheduler.ranking.Quotas;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.ranking.Shares;
import dev.sixfinger.scheduler.rebalancer.RebalancerConfig;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final TestClock clock = new TestClock();

  private Scheduler scheduler(SchedulerConfig config, int hosts, double cpus, long mem) {
    Scheduler s = new Scheduler(config, clock);
    for (int i = 0; i < hosts; i++) {
      s.applied(s.upsertHost("h" + i, Resources.of(cpus, mem, 0), Map.of("rack", "r" + i)));
    }
    return s;
  }

  @Test
  void commandsReturnEventsWithoutChangingStateUntilApplied() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    List<SchedulerEvent> events = s.submit(List.of(Job.builder("j", "u", "c").build()));
    assertThat(s.state().job("j")).isNull();
    s.apply(events);
    assertThat(s.state().job("j").state()).isEqualTo(JobState.WAITING);
    assertThat(s.state().job("j").job().submitMicros()).isEqualTo(clock.nowMicros());
    List<SchedulerEvent> cycle = s.cycle(clock.nowMicros());
    assertThat(cycle).singleElement().isInstanceOf(SchedulerEvent.InstanceStarted.class);
    assertThat(s.state().job("j").state()).isEqualTo(JobState.WAITING);
    s.apply(cycle);
    assertThat(s.state().job("j").state()).isEqualTo(JobState.RUNNING);
  }

  @Test
  void theQueueListsWaitingJobsInRankOrderWithWhyTheyWait() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 4, 8192);
    s.applied(s.submit(List.of(Job.builder("a1", "alice", "c").cpus(4).build())));
    s.applied(s.cycle(clock.nowMicros()));
    clock.advance(1_000_000);
    s.applied(
        s.submit(
            List.of(
                Job.builder("a2", "alice", "c").cpus(2).build(),
                Job.builder("b1", "bob", "c").cpus(2).build(),
                Job.builder("b2", "bob", "c").cpus(64).build())));
    List<Scheduler.Queued> q = s.queue(10);
    // Alice already runs 4 cpus, so bob's jobs rank first; a1 runs and is not in the queue.
    assertThat(q).extracting(x -> x.status().uuid()).containsExactly("b1", "a2", "b2");
    assertThat(q).extracting(Scheduler.Queued::rank).containsExactly(1, 2, 3);
    assertThat(q.get(0).why().kind()).isEqualTo(JobExplanation.Kind.NOT_ENOUGH_CPUS);
    assertThat(q.get(2).why().message()).contains("cpus");
    assertThat(s.queue(1)).extracting(x -> x.status().uuid()).containsExactly("b1");
  }

  @Test
  void duplicateUuidsAreAConflictAndInvalidJobsAreRejectedWhole() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    s.applied(s.submit(List.of(Job.builder("j", "u", "c").build())));
    assertThatThrownBy(() -> s.submit(List.of(Job.builder("j", "u", "c").build())))
        .isInstanceOf(DuplicateJobException.class)
        .hasMessage("job j already exists");
    assertThatThrownBy(
            () ->
                s.submit(
                    List.of(
                        Job.builder("k", "u", "c").build(), Job.builder("k", "u", "c").build())))
        .isInstanceOf(DuplicateJobException.class);
    assertThatThrownBy(
            () ->
                s.submit(
                    List.of(
                        Job.builder("ok", "u", "c").build(),
                        Job.builder("bad", "u", "c").priority(500).build())))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("priority 500 must be between 0 and 100");
    assertThat(s.state().job("ok")).isNull();
  }

  @Test
  void killCompletesTheJobAndFreesItsHost() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    s.applied(s.submit(List.of(Job.builder("j", "u", "c").cpus(8).build())));
    s.applied(s.cycle(clock.nowMicros()));
    s.applied(s.kill("j", "alice"));
    assertThat(s.state().job("j").state()).isEqualTo(JobState.COMPLETED);
    assertThat(s.state().job("j").instances().get(0).reason()).isEqualTo(Reason.KILLED_BY_USER);
    assertThat(s.state().cluster().get("h0").used()).isEqualTo(Resources.ZERO);
    assertThat(s.kill("j", "alice")).isEmpty();
    assertThatThrownBy(() -> s.kill("nope", "alice")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void retriesNeverGoBackToAHostWhereTheJobFailed() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 3, 8, 8192);
    s.applied(s.submit(List.of(Job.builder("j", "u", "c").cpus(8).maxRetries(3).build())));
    for (int attempt = 1; attempt <= 3; attempt++) {
      s.applied(s.cycle(clock.advance(TestClock.SECOND)));
      Instance i = s.state().job("j").activeInstance();
      assertThat(i.attempt()).isEqualTo(attempt);
      assertThat(i.taskId()).isEqualTo("j-" + attempt);
      s.applied(s.instanceUpdate(i.taskId(), InstanceState.RUNNING, null));
      s.applied(s.instanceUpdate(i.taskId(), InstanceState.FAILED, Reason.NONZERO_EXIT));
    }
    assertThat(s.state().job("j").instances()).extracting(Instance::host).doesNotHaveDuplicates();
    assertThat(s.state().job("j").state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void aRetryWithOnlyFailedHostsLeftSaysSo() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    s.applied(s.submit(List.of(Job.builder("j", "u", "c").maxRetries(2).build())));
    s.applied(s.cycle(clock.nowMicros()));
    s.applied(s.instanceUpdate("j-1", InstanceState.FAILED, Reason.NONZERO_EXIT));
    s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    JobExplanation e = s.explain("j");
    assertThat(e.kind()).isEqualTo(JobExplanation.Kind.PREVIOUSLY_FAILED);
    assertThat(e.message())
        .isEqualTo("previously failed on every host that matches its constraints: [h0]");
  }

  @Test
  void repeatedOrLateExecutorReportsAreIgnored() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    s.applied(s.submit(List.of(Job.builder("j", "u", "c").build())));
    s.applied(s.cycle(clock.nowMicros()));
    s.applied(s.instanceUpdate("j-1", InstanceState.SUCCESS, null));
    assertThat(s.state().job("j").instances().get(0).reason()).isEqualTo(Reason.NORMAL_EXIT);
    assertThat(s.instanceUpdate("j-1", InstanceState.FAILED, Reason.HOST_LOST)).isEmpty();
    assertThatThrownBy(() -> s.instanceUpdate("x-1", InstanceState.RUNNING, null))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void instancesPastTheirMaxRuntimeAreStopped() {
    Scheduler s = scheduler(SchedulerConfig.defaults(), 1, 8, 8192);
    s.applied(
        s.submit(List.of(Job.builder("j", "u", "c").maxRuntimeMicros(TestClock.MINUTE).build())));
    s.applied(s.cycle(clock.nowMicros()));
    s.applied(s.cycle(clock.advance(TestClock.MINUTE)));
    assertThat(s.state().job("j").state()).isEqualTo(JobState.COMPLETED);
    assertThat(s.state().job("j").instances().get(0).reason())
        .isEqualTo(Reason.MAX_RUNTIME_EXCEEDED);
  }

  @Test
  void explanationsNameTheQuotaAndTheLargestFreeHost() {
    SchedulerConfig c =
        SchedulerConfig.defaults()
            .withQuotas(new Quotas(Map.of("capped", new Quota(4, 1 << 20, 10))));
    Scheduler s = scheduler(c, 2, 8, 8192);
    s.applied(
        s.submit(
            List.of(
                Job.builder("c1", "capped", "x").cpus(4).build(),
                Job.builder("c2", "capped", "x").cpus(1).build(),
                Job.builder("mem", "u", "x").memMib(9000).build(),
                Job.builder("rack", "u", "x")
                    .constraint("rack", dev.sixfinger.scheduler.job.Constraint.Op.EQUALS, "r9")
                    .build())));
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.explain("c1").kind()).isEqualTo(JobExplanation.Kind.NOT_WAITING);
    assertThat(s.explain("c2").message())
        .isEqualTo("over quota: user capped runs 4.0 cpus, this job needs 1.0, quota 4.0 cpus");
    assertThat(s.explain("mem").message())
        .isEqualTo(
            "no host with enough memory: needs 9000 MiB, the largest free among 2 healthy host(s) it could use is 8192 MiB on h1");
    assertThat(s.explain("rack").kind()).isEqualTo(JobExplanation.Kind.CONSTRAINTS_EXCLUDE_ALL);
    assertThat(s.lastSkipped()).containsOnlyKeys("c2", "mem", "rack");
  }

  @Test
  void preemptionReservesTheFreedHostForTheStarvedJob() {
    SchedulerConfig c =
        SchedulerConfig.defaults()
            .withShares(Shares.uniform(new Share(4, 4096, 0)))
            .withRebalancer(new RebalancerConfig(true, 1.0, 0.5, 10, 10));
    Scheduler s = scheduler(c, 2, 8, 8192);
    List<Job> hog = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      hog.add(Job.builder("hog" + i, "hog", "x").cpus(4).memMib(4096).build());
    }
    s.applied(s.submit(hog));
    s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    assertThat(s.state().cluster().all()).allMatch(h -> h.free().equals(Resources.ZERO));
    s.applied(s.submit(List.of(Job.builder("poor", "poor", "x").cpus(4).memMib(4096).build())));
    List<SchedulerEvent> cycle = s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    SchedulerEvent.Preempted p =
        (SchedulerEvent.Preempted)
            cycle.stream()
                .filter(SchedulerEvent.Preempted.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertThat(p.forJob()).isEqualTo("poor");
    assertThat(p.victims()).hasSize(1);
    // The hog's last-ranked task (score 4.0) was the victim; it is requeued without using a retry.
    String victim = s.state().jobOfTask(p.victims().get(0));
    assertThat(s.state().job(victim).state()).isEqualTo(JobState.WAITING);
    assertThat(s.state().reservations()).containsKey(p.host());
    // The freed host is held for poor: the requeued hog job, ranked... it is not placed there.
    assertThat(s.explain(victim).kind()).isEqualTo(JobExplanation.Kind.RESERVED_FOR_OTHER);
    s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    assertThat(s.state().job("poor").activeInstance().host()).isEqualTo(p.host());
    assertThat(s.state().reservations()).isEmpty();
  }

  @Test
  void unusedReservationsLapse() {
    SchedulerConfig c =
        SchedulerConfig.defaults()
            .withShares(Shares.uniform(new Share(4, 4096, 0)))
            .withRebalancer(new RebalancerConfig(true, 1.0, 0.5, 10, 10));
    Scheduler s = scheduler(c, 1, 8, 8192);
    s.applied(
        s.submit(
            List.of(
                Job.builder("h1", "hog", "x").cpus(4).memMib(4096).build(),
                Job.builder("h2", "hog", "x").cpus(4).memMib(4096).build())));
    s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    s.applied(
        s.submit(
            List.of(
                Job.builder("poor", "poor", "x")
                    .cpus(4)
                    .memMib(4096)
                    .constraint("rack", dev.sixfinger.scheduler.job.Constraint.Op.EQUALS, "r0")
                    .build())));
    s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    assertThat(s.state().reservations()).containsKey("h0");
    // The host is cordoned before poor is placed: the reservation is released, not kept.
    s.applied(
        s.override(
            "h0",
            dev.sixfinger.scheduler.health.HealthState.CORDONED,
            TestClock.MINUTE,
            "op",
            "x"));
    List<SchedulerEvent> cycle = s.applied(s.cycle(clock.advance(TestClock.SECOND)));
    assertThat(cycle)
        .anyMatch(
            e ->
                e instanceof SchedulerEvent.ReservationReleased r
                    && r.why().equals("host out of service"));
    assertThat(s.state().reservations()).isEmpty();
  }
}
