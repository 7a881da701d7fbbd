package dev.sixfinger.alerting.dispatch;

import static dev.sixfinger.alerting.dispatch.Harness.S;
import static dev.sixfinger.alerting.dispatch.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.alert.AlertStore;
import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTimelineTest {
  static final AlertingConfig CONFIG =
      Configs.parse(
          """
          receivers:
            - name: pager
              pagerduty: {routing_key: "${PD_KEY}"}
          route:
            receiver: pager
            group_by: [alertname]
          flapping: {enabled: false}
          """);

  static Map<String, String> swap(String host) {
    return Alerts.labels("alertname", "swap-in-high", "severity", "warning", "host", host);
  }

  /** The timeline of the README, second by second. */
  @Test
  void alertmanagerTiming() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1")); // t=0
    h.runTo(10);
    h.fire(swap("n2"));
    h.runTo(60);
    assertThat(h.times()).containsExactly(30L); // group_wait
    assertThat(h.sent.get(0).firing()).containsExactly("n1", "n2");
    h.fire(swap("n3")); // t=60: waits for the next group_interval flush
    h.runTo(360);
    h.resolve(swap("n1"), 0);
    h.runTo(900);
    assertThat(h.times()).containsExactly(30L, 330L, 630L);
    assertThat(h.sent.get(1).firing()).containsExactly("n1", "n2", "n3");
    assertThat(h.sent.get(1).resolved()).isEmpty();
    assertThat(h.sent.get(2).firing()).containsExactly("n2", "n3");
    assertThat(h.sent.get(2).resolved()).containsExactly("n1");
    assertThat(h.dispatcher.groups().get(0).fingerprints())
        .containsExactlyInAnyOrder(
            Alerts.fingerprint(swap("n2")), Alerts.fingerprint(swap("n3"))); // n1 left the group

    // Nothing changes: the next notification is the repeat, repeat_interval (4h) after the last.
    h.runTo(630 + 4 * 3600 + 60);
    assertThat(h.times()).containsExactly(30L, 330L, 630L, 630L + 4 * 3600);
    assertThat(h.sent.get(3).firing()).containsExactly("n2", "n3");

    long t = h.second();
    h.resolve(swap("n2"), 10);
    h.resolve(swap("n3"), 60);
    h.runTo(t + 300);
    Harness.Sent last = h.sent.get(4);
    assertThat(last.n().isFiring()).isFalse();
    assertThat(last.resolved()).containsExactly("n2", "n3");
    assertThat(h.dispatcher.groups()).isEmpty();
  }

  @Test
  void groupsAreKeyedByRouteAndGroupByValuesDeterministically() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.fire(Alerts.labels("alertname", "disk-full", "severity", "error", "host", "n1"));
    assertThat(h.dispatcher.groups())
        .extracting(Dispatcher.GroupView::key)
        .containsExactly("{}:{alertname=\"disk-full\"}", "{}:{alertname=\"swap-in-high\"}");
    h.runTo(30);
    assertThat(h.sent).hasSize(2);
    assertThat(h.sent.get(0).n().dedupKey())
        .hasSize(64)
        .isEqualTo(Notification.dedupKey("pager", "{}:{alertname=\"disk-full\"}"))
        .isNotEqualTo(h.sent.get(1).n().dedupKey());
  }

  @Test
  void anAlertOlderThanGroupWaitIsNotMadeToWaitAgain() {
    Harness h = new Harness(CONFIG);
    h.runTo(100);
    h.feed(Alerts.firing(swap("n1"), T0, T0)); // started 100 s ago (e.g. replayed)
    h.tick();
    assertThat(h.times()).containsExactly(100L);
  }

  @Test
  void duplicatesAndResolvesNobodyHeardOfChangeNothing() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    assertThat(h.dispatcher.accept(Alerts.firing(swap("n1"), T0, T0)))
        .isEqualTo(AlertStore.Change.DUPLICATE);
    h.runTo(5);
    h.resolve(swap("n1"), 0); // resolved before group_wait: never notified
    h.runTo(600);
    assertThat(h.sent).isEmpty();
    assertThat(h.dispatcher.groups()).isEmpty();
  }

  @Test
  void continueSendsToEveryMatchingReceiverWithItsOwnTiming() {
    AlertingConfig c =
        Configs.parse(
            """
            receivers:
              - {name: pager, pagerduty: {routing_key: "${PD_KEY}"}}
              - {name: chat, webhook: {url: "http://chat.example/hook"}}
              - {name: fallback, webhook: {url: "http://x.example/"}}
            route:
              receiver: fallback
              group_by: [alertname]
              routes:
                - {matchers: [severity="critical"], receiver: pager, group_wait: 0s, continue: true}
                - {matchers: ['alertname=~"fleet-.*"'], receiver: chat, group_wait: 1m}
            """);
    Harness h = new Harness(c);
    h.fire(Alerts.labels("alertname", "fleet-swap", "severity", "critical"));
    h.runTo(120);
    assertThat(h.sent)
        .extracting(s -> s.second() + " " + s.n().receiverName())
        .containsExactly("1 pager", "60 chat");
  }

  @Test
  void aFailedNotificationKeepsTheLogAndIsRetriedWithinAMinute() {
    Harness h = new Harness(CONFIG);
    h.failWhen = n -> h.sent.size() == 1;
    h.fire(swap("n1"));
    h.runTo(200);
    assertThat(h.times()).containsExactly(30L, 90L);
    var entry = h.dispatcher.notificationLog().all().iterator().next();
    assertThat(entry.outcome()).isEqualTo("sent");
    assertThat(entry.firing()).containsExactly(Alerts.fingerprint(swap("n1")));
    assertThat(entry.sentAtMicros()).isEqualTo(T0 + 90 * S);
  }

  @Test
  void aGroupWithANotificationInFlightIsNotFlushedAgain() {
    Harness h = new Harness(CONFIG);
    h.fire(swap("n1"));
    h.clock.advance(java.time.Duration.ofSeconds(30));
    List<Notification> first = h.dispatcher.tick(h.clock.nowMicros());
    assertThat(first).hasSize(1);
    h.fire(swap("n2"));
    h.clock.advance(java.time.Duration.ofMinutes(10));
    assertThat(h.dispatcher.tick(h.clock.nowMicros())).isEmpty();
    h.dispatcher.recordResult(first.get(0), true, null);
    assertThat(h.dispatcher.tick(h.clock.nowMicros())).hasSize(1);
  }
}
