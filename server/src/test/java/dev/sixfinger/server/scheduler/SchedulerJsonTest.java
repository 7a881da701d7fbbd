package dev.sixfinger.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.scheduler.health.GuardRailAlert;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import dev.sixfinger.scheduler.state.SchedulerState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsAJobWithEveryFieldAndDefaults() throws Exception {
    List<Job> jobs =
        SchedulerJson.readJobs(
            JSON.readTree(
                "{\"uuid\":\"j1\",\"user\":\"alice\",\"command\":\"run\",\"cpus\":0.5,"
                    + "\"mem\":2048,\"priority\":70,\"maxRetries\":3,\"maxRuntimeSeconds\":60,"
                    + "\"labels\":{\"team\":\"ml\"},"
                    + "\"constraints\":[{\"attribute\":\"rack\",\"op\":\"NOT_EQUALS\",\"value\":\"r1\"}]}"));
    Job j = jobs.get(0);
    assertThat(j.uuid()).isEqualTo("j1");
    assertThat(j.resources().milliCpus()).isEqualTo(500);
    assertThat(j.memMib()).isEqualTo(2048);
    assertThat(j.priority()).isEqualTo(70);
    assertThat(j.maxRetries()).isEqualTo(3);
    assertThat(j.maxRuntimeMicros()).isEqualTo(60_000_000L);
    assertThat(j.labels()).containsEntry("team", "ml");
    assertThat(j.constraints())
        .containsExactly(new Constraint("rack", Constraint.Op.NOT_EQUALS, "r1"));

    Job d =
        SchedulerJson.readJobs(
                JSON.readTree(
                    "[{\"uuid\":\"j2\",\"user\":\"bob\",\"command\":\"c\",\"cpus\":1,\"mem\":1}]"))
            .get(0);
    assertThat(d.priority()).isEqualTo(Job.DEFAULT_PRIORITY);
    assertThat(d.maxRetries()).isEqualTo(1);
    assertThat(d.maxRuntimeMicros()).isEqualTo(Job.DEFAULT_MAX_RUNTIME_MICROS);
  }

  @Test
  void namesEveryViolationOfEveryJob() throws Exception {
    assertThatThrownBy(
            () ->
                SchedulerJson.readJobs(
                    JSON.readTree(
                        "[{\"uuid\":\"ok\",\"user\":\"u\",\"command\":\"c\",\"cpus\":1,\"mem\":1},"
                            + "{\"uuid\":\"b\",\"user\":7,\"cpus\":\"many\",\"mem\":1.5,"
                            + "\"colour\":\"red\",\"priority\":101}]")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.violations())
                    .allMatch(v -> v.startsWith("jobs[1] (uuid b): "))
                    .anyMatch(v -> v.contains("unknown field 'colour'"))
                    .anyMatch(v -> v.contains("user must be a string, got 7"))
                    .anyMatch(v -> v.contains("cpus must be a number, got \"many\""))
                    .anyMatch(v -> v.contains("mem must be a whole number, got 1.5"))
                    .anyMatch(v -> v.contains("command must not be empty"))
                    .anyMatch(v -> v.contains("priority 101 must be between 0 and 100")));
    assertThatThrownBy(() -> SchedulerJson.readJobs(JSON.readTree("[]")))
        .hasMessage("the list of jobs is empty");
    assertThatThrownBy(() -> SchedulerJson.readJobs(JSON.readTree("\"job\"")))
        .hasMessageContaining("must be a job");
  }

  @Test
  void aGuardRailTripFiresAndTheHostsChangeResolvesIt() {
    GuardRailAlert a =
        new GuardRailAlert(
            GuardRailAlert.MAX_FRACTION, "n3", "swap", "drain", "held back", 1_000, 2, 10, 0);
    SchedulerState state = new SchedulerState();
    List<AlertRecord> fired =
        SchedulerService.alerts(List.of(new SchedulerEvent.GuardRailTripped(1_000, a)), state, 5);
    assertThat(fired)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.fingerprint()).isEqualTo("scheduler-guard-rail/max-fraction/n3");
              assertThat(r.rule()).isEqualTo("scheduler-guard-rail");
              assertThat(r.severity()).isEqualTo("warning");
              assertThat(r.status()).isEqualTo(AlertRecord.Status.FIRING);
              assertThat(r.labels()).containsEntry("alertname", "scheduler-guard-rail");
            });
    state.apply(new SchedulerEvent.GuardRailTripped(1_000, a));
    assertThat(
            SchedulerService.alerts(
                List.of(new SchedulerEvent.GuardRailTripped(2_000, a)), state, 6))
        .extracting(AlertRecord::status)
        .containsExactly(AlertRecord.Status.FIRING);
    List<AlertRecord> resolved =
        SchedulerService.alerts(
            List.of(
                new SchedulerEvent.HostHealthChanged(
                    3_000,
                    "n3",
                    dev.sixfinger.scheduler.health.HealthState.HEALTHY,
                    dev.sixfinger.scheduler.health.HealthState.DRAINING,
                    "automation",
                    "",
                    9_000)),
            state,
            7);
    assertThat(resolved)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AlertRecord.Status.RESOLVED);
              assertThat(r.endsAtMicros()).isEqualTo(7L);
            });
    assertThat(
            SchedulerService.alerts(
                List.of(new SchedulerEvent.GuardRailReleased(3_000, "n4")), state, 7))
        .isEmpty();
  }
}
