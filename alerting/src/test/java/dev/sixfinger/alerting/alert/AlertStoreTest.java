package dev.sixfinger.alerting.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.AlertRecord.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertStoreTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_700_000_000L * S;
  private final Map<String, String> labels =
      Alerts.labels("alertname", "swap-in-high", "severity", "warning", "host", "n1");
  private final String fp = Alerts.fingerprint(labels);

  @Test
  void sameTransitionTwiceChangesNothing() {
    AlertStore store = new AlertStore(FlapPolicy.DEFAULT);
    AlertRecord fire = Alerts.firing(labels, T0, T0);
    assertThat(store.apply(fire)).isEqualTo(AlertStore.Change.TRANSITION);
    assertThat(store.apply(fire)).isEqualTo(AlertStore.Change.DUPLICATE);
    assertThat(store.history(fp)).containsExactly(new Transition(null, Status.FIRING, T0));
  }

  @Test
  void theSameKafkaRecordReadTwiceIsADuplicateEvidenceIncluded() {
    AlertStore store = new AlertStore(FlapPolicy.DEFAULT);
    AlertRecord fire =
        Alerts.record(
            labels,
            Status.FIRING,
            T0,
            null,
            T0,
            java.util.List.of(
                dev.sixfinger.core.event.Event.builder()
                    .host("n1")
                    .service("swap/in-rate")
                    .metric(Double.NaN)
                    .timeMicros(T0)
                    .build()));
    byte[] json = dev.sixfinger.core.record.RecordJson.toBytes(fire);
    assertThat(store.apply((AlertRecord) dev.sixfinger.core.record.RecordJson.parse(json)))
        .isEqualTo(AlertStore.Change.TRANSITION);
    assertThat(store.apply((AlertRecord) dev.sixfinger.core.record.RecordJson.parse(json)))
        .isEqualTo(AlertStore.Change.DUPLICATE);
  }

  @Test
  void lifecycleWithHistoryAndStaleRecordsIgnored() {
    AlertStore store = new AlertStore(FlapPolicy.DEFAULT);
    store.apply(Alerts.firing(labels, T0, T0));
    AlertRecord resolve = Alerts.resolved(labels, T0, T0 + 60 * S);
    assertThat(store.apply(resolve)).isEqualTo(AlertStore.Change.TRANSITION);
    assertThat(store.get(fp).orElseThrow().firing()).isFalse();
    assertThat(store.get(fp).orElseThrow().endsAtMicros()).isEqualTo(T0 + 60 * S);
    // A late copy of the firing record cannot move the alert back.
    assertThat(store.apply(Alerts.firing(labels, T0, T0 + 30 * S)))
        .isEqualTo(AlertStore.Change.STALE);
    assertThat(store.get(fp).orElseThrow().firing()).isFalse();
    assertThat(store.history(fp))
        .containsExactly(
            new Transition(null, Status.FIRING, T0),
            new Transition(Status.FIRING, Status.RESOLVED, T0 + 60 * S));
  }

  @Test
  void newEvidenceIsAnUpdateNotATransition() {
    AlertStore store = new AlertStore(FlapPolicy.DEFAULT);
    store.apply(Alerts.firing(labels, T0, T0));
    AlertRecord r = Alerts.firing(labels, T0, T0 + S);
    AlertRecord updated =
        new AlertRecord(
            r.fingerprint(),
            r.rule(),
            r.status(),
            r.severity(),
            r.labels(),
            "now 300 pages/s",
            r.description(),
            r.startsAtMicros(),
            null,
            r.timeMicros(),
            r.hosts(),
            r.evidence());
    assertThat(store.apply(updated)).isEqualTo(AlertStore.Change.UPDATED);
    assertThat(store.get(fp).orElseThrow().summary()).isEqualTo("now 300 pages/s");
    assertThat(store.history(fp)).hasSize(1);
  }

  @Test
  void flappingAfterMoreThanMaxChangesInTheWindowUntilStable() {
    FlapPolicy policy = new FlapPolicy(4, Duration.ofMinutes(15), Duration.ofMinutes(10));
    AlertStore store = new AlertStore(policy);
    long t = T0;
    for (int i = 0; i < 4; i++) { // 4 changes: fire, resolve, fire, resolve
      store.apply(
          i % 2 == 0 ? Alerts.firing(labels, t, t) : Alerts.resolved(labels, t - 60 * S, t));
      t += 60 * S;
    }
    assertThat(store.flapping(fp, t)).isFalse();
    store.apply(Alerts.firing(labels, t, t)); // the fifth change
    assertThat(store.flapping(fp, t)).isTrue();
    assertThat(store.flapping(fp, t + 9 * 60 * S)).isTrue();
    assertThat(store.flapping(fp, t + 10 * 60 * S)).isFalse();
  }

  @Test
  void slowChangesAreNotFlapping() {
    AlertStore store = new AlertStore(FlapPolicy.DEFAULT);
    long t = T0;
    for (int i = 0; i < 10; i++) { // one change every 5 minutes: at most 4 in any 15 minutes
      store.apply(
          i % 2 == 0 ? Alerts.firing(labels, t, t) : Alerts.resolved(labels, t - 60 * S, t));
      assertThat(store.flapping(fp, t)).as("change %d", i).isFalse();
      t += 5 * 60 * S;
    }
  }

  @Test
  void forgetsOldResolvedAlertsButNotThoseKept() {
    AlertStore store = new AlertStore(FlapPolicy.OFF);
    store.apply(Alerts.firing(labels, T0, T0));
    store.apply(Alerts.resolved(labels, T0, T0 + S));
    Map<String, String> other = Alerts.labels("alertname", "x", "host", "n2");
    store.apply(Alerts.firing(other, T0, T0));
    store.apply(Alerts.resolved(other, T0, T0 + S));
    Map<String, String> firing = Alerts.labels("alertname", "y");
    store.apply(Alerts.firing(firing, T0, T0));
    assertThat(
            store.forgetResolved(
                T0 + 25 * 3600 * S,
                Duration.ofHours(24),
                java.util.Set.of(Alerts.fingerprint(other))))
        .isEqualTo(1);
    assertThat(store.get(fp)).isEmpty();
    assertThat(store.get(Alerts.fingerprint(other))).isPresent();
    assertThat(store.get(Alerts.fingerprint(firing))).isPresent();
  }
}
