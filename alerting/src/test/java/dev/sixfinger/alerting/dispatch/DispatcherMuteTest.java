package dev.sixfinger.alerting.dispatch;

import static dev.sixfinger.alerting.dispatch.Harness.S;
import static dev.sixfinger.alerting.dispatch.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.silence.Silence;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Silences and inhibition, and the resolve a receiver is owed for what it was told. */
class DispatcherMuteTest {
  static final AlertingConfig CONFIG =
      Configs.parse(
          """
          receivers:
            - name: pager
              pagerduty: {routing_key: "${PD_KEY}"}
          route:
            receiver: pager
            group_by: [alertname]
          inhibit_rules:
            - source_matchers: [alertname="fleet-swap"]
              target_matchers: [alertname="swap-in-high"]
              equal: [team]
          flapping: {enabled: false}
          """);

  static Map<String, String> swap(String host) {
    return Alerts.labels(
        "alertname", "swap-in-high", "severity", "warning", "host", host, "team", "platform");
  }

  static final Map<String, String> FLEET =
      Alerts.labels("alertname", "fleet-swap", "severity", "critical", "team", "platform");

  private static Silence silence(Harness h, String matcher, long seconds) {
    return h.silences.create(
        List.of(Matcher.parse(matcher)),
        "alice",
        "maintenance",
        h.clock.nowMicros(),
        h.clock.nowMicros() + seconds * S);
  }

  @Test
  void aSilencedAlertIsNeverNotifiedAndItsResolveIsNotSentEither() {
    Harness h = new Harness(CONFIG);
    silence(h, "host=\"n1\"", 3600);
    h.fire(swap("n1"));
    h.runTo(600);
    h.resolve(swap("n1"), 0);
    h.runTo(1200);
    assertThat(h.sent).isEmpty();
    assertThat(h.dispatcher.groups()).isEmpty();
  }

  @Test
  void silencedAfterItWasNotifiedTheResolveStillComes() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.runTo(60);
    assertThat(h.sent).hasSize(1);
    silence(h, "host=\"n1\"", 24 * 3600);
    h.runTo(5 * 3600); // beyond repeat_interval: no repeat for a silenced alert
    assertThat(h.sent).hasSize(1);
    h.resolve(swap("n1"), 0);
    h.runTo(5 * 3600 + 300);
    assertThat(h.sent).hasSize(2);
    Notification resolve = h.sent.get(1).n();
    assertThat(resolve.isFiring()).isFalse();
    assertThat(resolve.resolved())
        .extracting(a -> a.fingerprint())
        .containsExactly(Alerts.fingerprint(swap("n1")));
    assertThat(resolve.dedupKey()).isEqualTo(h.sent.get(0).n().dedupKey());
  }

  @Test
  void aMutedAlertKeepsTheIncidentOpenWhileOthersResolve() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.fire(swap("n2"));
    h.runTo(60);
    silence(h, "host=\"n1\"", 24 * 3600);
    h.resolve(swap("n2"), 0);
    h.runTo(400);
    Notification n = h.sent.get(1).n();
    assertThat(n.firing()).isEmpty();
    assertThat(n.resolved()).extracting(a -> a.labels().get("host")).containsExactly("n2");
    assertThat(n.stillOpen()).containsExactly(Alerts.fingerprint(swap("n1")));
    assertThat(n.isFiring()).isTrue(); // so PagerDuty is not told to resolve
  }

  @Test
  void whenTheSilenceEndsAnAlertAlreadyNotifiedIsNotPagedAgain() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.runTo(60);
    Silence s = silence(h, "host=\"n1\"", 3600);
    h.runTo(600);
    h.silences.expire(s.id());
    h.runTo(3000);
    assertThat(h.sent).hasSize(1);
  }

  @Test
  void aSilenceEndingOnANeverNotifiedAlertNotifiesAtTheNextFlush() {
    Harness h = new Harness(CONFIG);
    silence(h, "host=\"n1\"", 100);
    h.fire(swap("n1"));
    h.runTo(1000);
    assertThat(h.times()).containsExactly(330L); // flushes at 30, 330, ...: silenced until 100
  }

  @Test
  void inhibitedTargetsAreNotNotified() {
    Harness h = new Harness(CONFIG);
    h.fire(FLEET);
    h.fire(swap("n1"));
    h.fire(swap("n2"));
    h.runTo(600);
    assertThat(h.sent)
        .extracting(s -> s.n().firing().get(0).alertname())
        .containsExactly("fleet-swap");
    assertThat(h.dispatcher.mutedBy(Alerts.fingerprint(swap("n1")), h.clock.nowMicros()))
        .containsExactly("inhibited-by:" + Alerts.fingerprint(FLEET));
  }

  @Test
  void inhibitedAfterItWasNotifiedTheResolveStillComes() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.runTo(60);
    h.fire(FLEET); // now n1 is inhibited
    h.runTo(700);
    assertThat(h.sent)
        .extracting(s -> s.n().firing().get(0).alertname())
        .containsExactly("swap-in-high", "fleet-swap");
    h.resolve(swap("n1"), 0); // the source still fires
    h.runTo(1000);
    assertThat(h.sent).hasSize(3);
    Notification resolve = h.sent.get(2).n();
    assertThat(resolve.groupKey()).isEqualTo("{}:{alertname=\"swap-in-high\"}");
    assertThat(resolve.isFiring()).isFalse();
    assertThat(resolve.resolved()).hasSize(1);
  }

  @Test
  void aTargetIsNotifiedOnceItsSourceResolves() {
    Harness h = new Harness(CONFIG);
    h.fire(FLEET);
    h.fire(swap("n1"));
    h.runTo(100);
    h.resolve(FLEET, 0);
    h.runTo(700);
    assertThat(h.sent)
        .extracting(s -> s.second() + " " + s.firing() + " " + s.resolved())
        .containsExactly("30 [fleet-swap] []", "330 [] [fleet-swap]", "330 [n1] []"); // key order
    assertThat(T0).isPositive();
  }
}
