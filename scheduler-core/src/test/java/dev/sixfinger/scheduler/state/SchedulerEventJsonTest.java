package dev.sixfinger.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.TestClock;
import dev.sixfinger.scheduler.health.GuardRailAlert;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostOverride;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerEventJsonTest {
  private static final long T = TestClock.T0 + 123_456;

  static List<SchedulerEvent> oneOfEach() {
    Job job =
        Job.builder("j1", "alice", "python train.py")
            .cpus(2.5)
            .memMib(4096)
            .gpus(1)
            .priority(70)
            .maxRetries(3)
            .label("team", "ml")
            .constraint("rack", Constraint.Op.NOT_EQUALS, "r1")
            .build()
            .withSubmitMicros(T);
    HealthRecord record =
        new HealthRecord(
            "n1",
            "drain",
            T,
            T + 60_000_000,
            List.of(
                new HealthRecord.Decision(
                    "swap",
                    "drain",
                    "swap storm",
                    "fp",
                    T,
                    List.of(
                        Event.builder()
                            .host("n1")
                            .service("swap")
                            .metric(3.5)
                            .timeMicros(T)
                            .ttl(60f)
                            .build()))));
    return List.of(
        new SchedulerEvent.HostUpdated(
            T, "n1", new Resources(64000, 524288, 2), Map.of("rack", "r1")),
        new SchedulerEvent.JobSubmitted(T, job),
        new SchedulerEvent.JobKilled(T, "j1", "bob"),
        new SchedulerEvent.InstanceStarted(T, "j1", "j1-1", 1, "n1"),
        new SchedulerEvent.InstanceUpdated(T, "j1", "j1-1", InstanceState.RUNNING, null),
        new SchedulerEvent.InstanceUpdated(T, "j1", "j1-1", InstanceState.FAILED, Reason.HOST_LOST),
        new SchedulerEvent.Preempted(T, "n1", "j2", List.of("j1-1", "j3-2")),
        new SchedulerEvent.ReservationReleased(T, "n1", "j2", "lapsed"),
        new SchedulerEvent.HealthRecordReceived(T, record),
        new SchedulerEvent.HostHealthChanged(
            T,
            "n1",
            HealthState.HEALTHY,
            HealthState.DRAINING,
            "automation",
            "rule swap",
            T + 600_000_000),
        new SchedulerEvent.GuardRailTripped(
            T,
            new GuardRailAlert(
                GuardRailAlert.MAX_RATE, "n1", "swap", "drain", "held", T, 3, 10, 5)),
        new SchedulerEvent.GuardRailReleased(T, "n1"),
        new SchedulerEvent.OverrideSet(
            T, new HostOverride("n1", HealthState.CORDONED, "alice", "disk", T, T + 60_000_000)),
        new SchedulerEvent.OverrideCleared(T, "n1", "alice"));
  }

  @Test
  void everyEventTypeRoundTrips() {
    for (SchedulerEvent e : oneOfEach()) {
      assertThat(SchedulerEventJson.parse(SchedulerEventJson.toBytes(e)))
          .as(SchedulerEventJson.toJson(e))
          .isEqualTo(e);
    }
  }

  @Test
  void theJsonIsVersionedTypedAndReadable() throws Exception {
    ObjectMapper m = new ObjectMapper();
    for (SchedulerEvent e : oneOfEach()) {
      JsonNode n = m.readTree(new String(SchedulerEventJson.toBytes(e), StandardCharsets.UTF_8));
      assertThat(n.get("v").asInt()).isEqualTo(1);
      assertThat(n.get("type").asText()).matches("[a-z-]+");
      assertThat(n.get("time").asText()).isEqualTo("2026-01-01T00:00:00.123456Z");
    }
    assertThat(SchedulerEventJson.toJson(oneOfEach().get(3)))
        .isEqualTo(
            "{\"v\":1,\"type\":\"instance-started\",\"time\":\"2026-01-01T00:00:00.123456Z\",\"uuid\":\"j1\",\"task\":\"j1-1\",\"attempt\":1,\"host\":\"n1\"}");
    assertThat(oneOfEach()).extracting(SchedulerEvent::key).contains("j1", "n1", "j1");
    assertThat(oneOfEach().get(6).key()).isEqualTo("n1");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> SchedulerEventJson.parse("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("unsupported scheduler event version 2");
    assertThatThrownBy(
            () ->
                SchedulerEventJson.parse(
                    "{\"v\":1,\"type\":\"x\",\"time\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("unknown scheduler event type 'x'");
    assertThatThrownBy(
            () ->
                SchedulerEventJson.parse(
                    "{\"v\":1,\"type\":\"job-killed\",\"time\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("scheduler event field 'uuid' must be a string");
    assertThatThrownBy(() -> SchedulerEventJson.parse("nope".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("not a JSON scheduler event");
  }
}
