package dev.sixfinger.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobStatusTest {
  private final Job job = Job.builder("j", "u", "c").maxRetries(2).build();

  private static JobStatus fail(JobStatus s, String host, Reason r) {
    int attempt = s.instances().size() + 1;
    Instance started =
        new Instance(
            Instance.taskId("j", attempt),
            "j",
            attempt,
            host,
            InstanceState.RUNNING,
            attempt,
            0,
            null);
    JobStatus running = s.withInstance(started);
    assertThat(running.state()).isEqualTo(JobState.RUNNING);
    return running.withInstance(started.withState(InstanceState.FAILED, r, attempt + 1));
  }

  @Test
  void ordinaryFailuresUseUpRetries() {
    JobStatus s = fail(JobStatus.submitted(job), "a", Reason.NONZERO_EXIT);
    assertThat(s.state()).isEqualTo(JobState.WAITING);
    s = fail(s, "b", Reason.NONZERO_EXIT);
    assertThat(s.state()).isEqualTo(JobState.COMPLETED);
    assertThat(s.succeeded()).isFalse();
  }

  @Test
  void meaCulpaFailuresAreForgivenUpToTheirLimit() {
    JobStatus s = JobStatus.submitted(job);
    for (int i = 0; i < Reason.HOST_LOST.meaCulpaLimit(); i++) {
      s = fail(s, "h" + i, Reason.HOST_LOST);
      assertThat(s.state()).isEqualTo(JobState.WAITING);
    }
    assertThat(s.countedFailures()).isZero();
    s = fail(s, "x", Reason.HOST_LOST); // past the limit: counts
    assertThat(s.countedFailures()).isEqualTo(1);
    assertThat(s.state()).isEqualTo(JobState.WAITING);
    s = fail(s, "y", Reason.HOST_LOST);
    assertThat(s.state()).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void preemptionIsUnlimitedAndDoesNotMarkTheHost() {
    JobStatus s = JobStatus.submitted(job);
    for (int i = 0; i < 50; i++) {
      s = fail(s, "h", Reason.PREEMPTED);
    }
    assertThat(s.state()).isEqualTo(JobState.WAITING);
    assertThat(s.failedHosts()).isEmpty();
    s = fail(s, "bad", Reason.NONZERO_EXIT);
    assertThat(s.failedHosts()).containsExactly("bad");
  }

  @Test
  void successCompletes() {
    Instance i = new Instance("j-1", "j", 1, "a", InstanceState.UNKNOWN, 1, 0, null);
    JobStatus s = JobStatus.submitted(job).withInstance(i);
    s = s.withInstance(i.withState(InstanceState.SUCCESS, Reason.NORMAL_EXIT, 5));
    assertThat(s.state()).isEqualTo(JobState.COMPLETED);
    assertThat(s.succeeded()).isTrue();
    assertThat(s.activeInstance()).isNull();
  }
}
