package dev.sixfinger.scheduler.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.TestClock;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostHealthTest {
  private final TestClock clock = new TestClock();

  private Scheduler scheduler(int hosts, HealthConfig health) {
    Scheduler s = new Scheduler(SchedulerConfig.defaults().withHealth(health), clock);
    for (int i = 0; i < hosts; i++) {
      s.applied(s.upsertHost(host(i), Resources.of(8, 8192, 0), Map.of()));
    }
    return s;
  }

  private static String host(int i) {
    return String.format("n%02d", i);
  }

  private HealthRecord record(String host, String rule, String action, long ttl) {
    long now = clock.nowMicros();
    List<HealthRecord.Decision> d =
        HealthRecord.NONE.equals(action)
            ? List.of()
            : List.of(
                new HealthRecord.Decision(
                    rule,
                    action,
                    "swap storm",
                    "fp-" + host,
                    now,
                    List.of(Event.builder().host(host).service("swap in").metric(512.0).build())));
    return new HealthRecord(host, action, now, now + ttl, d);
  }

  @Test
  void drainDecisionTakesTheHostOutAndExplainsWhy() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    s.applied(s.healthRecord(record("n01", "swap-in-high", "drain", 10 * TestClock.MINUTE)));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.DRAINING);
    HealthBook.Explanation e = s.explainHost("n01");
    assertThat(e.state()).isEqualTo(HealthState.DRAINING);
    assertThat(String.join("\n", e.why()))
        .contains("draining since")
        .contains("rule swap-in-high decided drain: swap storm")
        .contains("evidence: 1 event(s): n01 swap in 512.0")
        .contains("running work is stopped and requeued at");
  }

  @Test
  void theSameRecordReadAgainChangesNothingButANewerOneDoes() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    HealthRecord r = record("n01", "r", "cordon", 10 * TestClock.MINUTE);
    assertThat(s.applied(s.healthRecord(r))).isNotEmpty();
    clock.advance(TestClock.MINUTE);
    assertThat(s.healthRecord(r)).isEmpty();
    HealthRecord renewed = record("n01", "r", "cordon", 10 * TestClock.MINUTE);
    assertThat(s.healthRecord(renewed))
        .singleElement()
        .isInstanceOf(SchedulerEvent.HealthRecordReceived.class);
  }

  @Test
  void hostReturnsWhenEvidenceClearsOrTheRecordExpires() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    s.applied(s.healthRecord(record("n01", "r", "cordon", 10 * TestClock.MINUTE)));
    s.applied(s.healthRecord(record("n02", "r", "cordon", 10 * TestClock.MINUTE)));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.CORDONED);
    s.applied(s.healthRecord(record("n01", "r", HealthRecord.NONE, 10 * TestClock.MINUTE)));
    assertThat(s.state().health().get("n01").state()).isEqualTo(HealthState.HEALTHY);
    assertThat(s.state().health().get("n01").cause()).isEqualTo("evidence-cleared");
    // A stopped rules engine stops renewing: the record expires and the host comes back.
    clock.advance(10 * TestClock.MINUTE);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().health().get("n02").state()).isEqualTo(HealthState.HEALTHY);
    assertThat(s.state().health().get("n02").cause()).isEqualTo("record-expired");
    assertThat(s.explainHost("n02").why())
        .anyMatch(w -> w.contains("expired") && w.contains("ignored"));
  }

  @Test
  void anOlderRecordDoesNotUndoANewerOneAndBadActionsAreRefused() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    HealthRecord older = record("n01", "r", HealthRecord.NONE, 10 * TestClock.MINUTE);
    clock.advance(TestClock.SECOND);
    s.applied(s.healthRecord(record("n01", "r", "drain", 10 * TestClock.MINUTE)));
    assertThat(s.healthRecord(older)).isEmpty();
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.DRAINING);
    HealthRecord bad =
        new HealthRecord("n02", "reboot", clock.nowMicros(), clock.nowMicros() + 1, List.of());
    assertThatThrownBy(() -> s.healthRecord(bad))
        .hasMessage("health record for n02: action must be drain, cordon or none, got 'reboot'");
  }

  @Test
  void aHeldDecisionIsReleasedWhenItsEvidenceClears() {
    Scheduler s = scheduler(5, HealthConfig.DEFAULTS); // 20% of 5 = 1 host
    s.applied(s.healthRecord(record("n01", "r", "cordon", TestClock.MINUTE * 10)));
    s.applied(s.healthRecord(record("n02", "r", "cordon", TestClock.MINUTE * 10)));
    assertThat(s.state().health().get("n02").guardRail()).isNotNull();
    List<SchedulerEvent> cleared =
        s.applied(s.healthRecord(record("n02", "r", HealthRecord.NONE, TestClock.MINUTE * 10)));
    assertThat(cleared).anyMatch(SchedulerEvent.GuardRailReleased.class::isInstance);
    assertThat(s.state().health().get("n02").guardRail()).isNull();
    assertThat(s.state().health().state("n02")).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void anExpiredRecordIsIgnoredOnArrival() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    HealthRecord old = record("n01", "r", "drain", TestClock.MINUTE);
    clock.advance(2 * TestClock.MINUTE);
    s.applied(s.healthRecord(old));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void fractionGuardRailHoldsAutomationBackAndRaisesAnAlert() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS); // 20% of 10 = 2 hosts
    s.applied(s.healthRecord(record("n01", "r", "drain", TestClock.MINUTE * 10)));
    s.applied(s.healthRecord(record("n02", "r", "drain", TestClock.MINUTE * 10)));
    List<SchedulerEvent> third =
        s.applied(s.healthRecord(record("n03", "fleet-swap", "cordon", TestClock.MINUTE * 10)));
    assertThat(s.state().health().state("n03")).isEqualTo(HealthState.HEALTHY);
    GuardRailAlert alert =
        third.stream()
            .filter(SchedulerEvent.GuardRailTripped.class::isInstance)
            .map(e -> ((SchedulerEvent.GuardRailTripped) e).alert())
            .findFirst()
            .orElseThrow();
    assertThat(alert.kind()).isEqualTo(GuardRailAlert.MAX_FRACTION);
    assertThat(alert.rule()).isEqualTo("fleet-swap");
    assertThat(alert.message())
        .contains("2 of 10 hosts")
        .contains("likely a workload problem, not a host problem");
    assertThat(s.explainHost("n03").why()).anyMatch(w -> w.startsWith("guard-rail max-fraction"));
    // The renewal of a held decision does not alert again.
    assertThat(
            s.applied(s.healthRecord(record("n03", "fleet-swap", "cordon", TestClock.MINUTE * 10))))
        .noneMatch(SchedulerEvent.GuardRailTripped.class::isInstance);
    // When a host comes back, the held one goes out at the next cycle.
    s.applied(s.healthRecord(record("n01", "r", HealthRecord.NONE, TestClock.MINUTE * 10)));
    clock.advance(TestClock.SECOND);
    List<SchedulerEvent> cycle = s.applied(s.cycle(clock.nowMicros()));
    assertThat(cycle)
        .anyMatch(e -> e instanceof SchedulerEvent.HostHealthChanged c && c.host().equals("n03"));
    assertThat(s.state().health().get("n03").state()).isEqualTo(HealthState.CORDONED);
    assertThat(s.state().health().get("n03").guardRail()).isNull();
  }

  @Test
  void operatorOverridesDoNotCountAgainstTheAutomationFraction() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    for (int i = 0; i < 5; i++) {
      s.applied(
          s.override(host(i), HealthState.CORDONED, TestClock.MINUTE * 60, "alice", "maintenance"));
    }
    s.applied(s.healthRecord(record("n07", "r", "drain", TestClock.MINUTE * 10)));
    assertThat(s.state().health().state("n07")).isEqualTo(HealthState.DRAINING);
  }

  @Test
  void rateGuardRailAllowsNHostsPerMinute() {
    Scheduler s = scheduler(100, new HealthConfig(0.5, 3, 10 * TestClock.MINUTE, Set.of()));
    for (int i = 0; i < 5; i++) {
      s.applied(s.healthRecord(record(host(i), "r", "cordon", TestClock.MINUTE * 30)));
      clock.advance(TestClock.SECOND);
    }
    assertThat(List.of(0, 1, 2, 3, 4))
        .extracting(i -> s.state().health().state(host(i)))
        .containsExactly(
            HealthState.CORDONED,
            HealthState.CORDONED,
            HealthState.CORDONED,
            HealthState.HEALTHY,
            HealthState.HEALTHY);
    assertThat(s.state().health().get("n03").guardRail().kind()).isEqualTo(GuardRailAlert.MAX_RATE);
    // Still inside the minute: held.
    clock.advance(30 * TestClock.SECOND);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().health().state("n03")).isEqualTo(HealthState.HEALTHY);
    // A minute after the first removals, the held ones go out.
    clock.advance(30 * TestClock.SECOND);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().health().state("n03")).isEqualTo(HealthState.CORDONED);
    assertThat(s.state().health().state("n04")).isEqualTo(HealthState.CORDONED);
  }

  @Test
  void dryRunRulesAreShownButNotApplied() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS.withDryRun(Set.of("new-rule")));
    s.applied(s.healthRecord(record("n01", "new-rule", "drain", TestClock.MINUTE * 10)));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.HEALTHY);
    assertThat(s.explainHost("n01").why())
        .anyMatch(w -> w.startsWith("dry-run (not applied): rule new-rule decided drain"));
    // The recorded decision is in the log.
    assertThat(s.state().health().get("n01").record().decisions()).hasSize(1);
  }

  @Test
  void overridesWinOverAutomationUntilTheyExpire() {
    Scheduler s = scheduler(10, HealthConfig.DEFAULTS);
    s.applied(s.healthRecord(record("n01", "r", "drain", TestClock.MINUTE * 120)));
    s.applied(
        s.override("n01", HealthState.HEALTHY, TestClock.MINUTE * 30, "bob", "false positive"));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.HEALTHY);
    assertThat(s.explainHost("n01").why())
        .anyMatch(w -> w.contains("operator override: healthy by bob (false positive)"));
    clock.advance(31 * TestClock.MINUTE);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.DRAINING);
    s.applied(s.override("n01", HealthState.CORDONED, TestClock.MINUTE, "bob", "look"));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.CORDONED);
    s.applied(s.clearOverride("n01", "bob"));
    assertThat(s.state().health().state("n01")).isEqualTo(HealthState.DRAINING);
    assertThatThrownBy(() -> s.override("n01", HealthState.CORDONED, 0, "bob", "x"))
        .hasMessageContaining("override ttl must be more than 0");
    assertThatThrownBy(() -> s.override("n01", HealthState.CORDONED, TestClock.MINUTE, " ", "x"))
        .hasMessageContaining("override author must not be empty");
  }

  @Test
  void drainingStopsRunningWorkAfterTheGraceAndRequeuesWithoutUsingRetries() {
    Scheduler s = scheduler(2, new HealthConfig(0.5, 5, 5 * TestClock.MINUTE, Set.of()));
    s.applied(
        s.submit(List.of(Job.builder("j", "u", "c").cpus(8).memMib(8192).maxRetries(1).build())));
    s.applied(s.cycle(clock.nowMicros()));
    Instance first = s.state().job("j").activeInstance();
    s.applied(s.healthRecord(record(first.host(), "r", "drain", TestClock.MINUTE * 60)));
    clock.advance(4 * TestClock.MINUTE);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().job("j").activeInstance()).isEqualTo(first); // still in grace
    clock.advance(TestClock.MINUTE);
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().job("j").state()).isEqualTo(JobState.WAITING);
    assertThat(s.state().job("j").instances().get(0).reason()).isEqualTo(Reason.DRAINED);
    s.applied(s.cycle(clock.nowMicros()));
    Instance second = s.state().job("j").activeInstance();
    assertThat(second.host()).isNotEqualTo(first.host());
    assertThat(second.state()).isEqualTo(InstanceState.UNKNOWN);
  }

  @Test
  void cordonedAndDrainingHostsGetNoPlacements() {
    Scheduler s = scheduler(3, new HealthConfig(1.0, 10, TestClock.MINUTE, Set.of()));
    s.applied(s.healthRecord(record("n00", "r", "cordon", TestClock.MINUTE * 60)));
    s.applied(s.override("n01", HealthState.DRAINING, TestClock.MINUTE * 60, "op", "disk"));
    s.applied(
        s.submit(List.of(Job.builder("a", "u", "c").build(), Job.builder("b", "u", "c").build())));
    s.applied(s.cycle(clock.nowMicros()));
    assertThat(s.state().job("a").activeInstance().host()).isEqualTo("n02");
    assertThat(s.state().job("b").activeInstance().host()).isEqualTo("n02");
  }
}
