package dev.sixfinger.alerting.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherFlappingTest {
  static final AlertingConfig CONFIG =
      Configs.parse(
          """
          receivers:
            - name: pager
              pagerduty: {routing_key: "${PD_KEY}"}
          route:
            receiver: pager
            group_by: [alertname]
            group_wait: 10s
            group_interval: 1m
          flapping: {max_changes: 4, window: 15m, stable_for: 10m}
          """);

  static final Map<String, String> CHECK =
      Alerts.labels("alertname", "check-failing", "severity", "error", "host", "n1");

  /** Fires and resolves every 90 s from t=0, {@code flips} changes in all. */
  private static long flap(Harness h, int flips) {
    long start = 0;
    for (int i = 0; i < flips; i++) {
      if (i % 2 == 0) {
        start = h.second();
        h.fire(CHECK);
      } else {
        h.resolve(CHECK, start);
      }
      h.runTo(h.second() + 90);
    }
    return start;
  }

  @Test
  void withoutFlapDetectionEveryFlipIsANotification() {
    AlertingConfig off =
        Configs.parse(
            """
            receivers: [{name: pager, pagerduty: {routing_key: "${PD_KEY}"}}]
            route: {receiver: pager, group_by: [alertname], group_wait: 10s, group_interval: 1m}
            flapping: {enabled: false}
            """);
    Harness h = new Harness(off);
    flap(h, 8);
    assertThat(h.sent).hasSize(8);
  }

  @Test
  void aFlappingAlertIsHeldFiringUntilStableThenResolvedOnce() {
    Harness h = new Harness(CONFIG);
    long lastStart = flap(h, 8); // fire, resolve, ... 8 changes, ends resolved at t=630
    long resolvedAt = h.second() - 90;
    // Changes 1-4 are normal: fire (page), resolve, fire, resolve. From the 5th change on it flaps:
    // held firing, marked flapping, and nothing more is sent while it flips.
    assertThat(h.sent)
        .extracting(s -> s.firing() + "" + s.resolved())
        .containsExactly("[n1][]", "[][n1]", "[n1][]", "[][n1]", "[n1][]");
    assertThat(h.sent.get(4).n().flapping()).containsExactly(Alerts.fingerprint(CHECK));
    h.runTo(resolvedAt + 600 - 1);
    assertThat(h.sent).hasSize(5);
    // Stable (resolved) for stable_for: the resolve goes out at the next flush, once.
    h.runTo(resolvedAt + 600 + 120);
    assertThat(h.sent).hasSize(6);
    assertThat(h.sent.get(5).resolved()).containsExactly("n1");
    assertThat(h.sent.get(5).n().isFiring()).isFalse();
    assertThat(h.sent.get(5).second()).isBetween(resolvedAt + 600, resolvedAt + 660);
    assertThat(lastStart).isPositive();
  }
}
