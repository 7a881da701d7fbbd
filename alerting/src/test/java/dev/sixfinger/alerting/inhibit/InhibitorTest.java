package dev.sixfinger.alerting.inhibit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.testing.Alerts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InhibitorTest {
  private static final long T0 = 1_700_000_000_000_000L;
  private final Inhibitor inhibitor =
      new Inhibitor(
          List.of(
              new InhibitRule(
                  List.of(Matcher.parse("alertname=\"fleet-swap\"")),
                  List.of(Matcher.parse("alertname=\"swap-in-high\"")),
                  List.of("team"))));

  private static Alert firing(Map<String, String> labels) {
    return Alert.of(Alerts.firing(labels, T0, T0));
  }

  @Test
  void aFiringSourceMutesTargetsWithEqualLabels() {
    Alert fleet = firing(Alerts.labels("alertname", "fleet-swap", "team", "platform"));
    Alert swapPlatform =
        firing(Alerts.labels("alertname", "swap-in-high", "team", "platform", "host", "n1"));
    Alert swapOther =
        firing(Alerts.labels("alertname", "swap-in-high", "team", "data", "host", "n2"));
    Alert disk = firing(Alerts.labels("alertname", "disk-full", "team", "platform"));
    Inhibitor.Snapshot s = inhibitor.snapshot(List.of(fleet, swapPlatform, swapOther, disk));
    assertThat(s.inhibitedBy(swapPlatform.fingerprint(), swapPlatform.labels()))
        .contains(fleet.fingerprint());
    assertThat(s.isInhibited(swapOther.fingerprint(), swapOther.labels())).isFalse();
    assertThat(s.isInhibited(disk.fingerprint(), disk.labels())).isFalse();
    assertThat(s.isInhibited(fleet.fingerprint(), fleet.labels())).isFalse();
  }

  @Test
  void aResolvedSourceMutesNothing() {
    Alert fleet =
        Alert.of(
            Alerts.resolved(Alerts.labels("alertname", "fleet-swap", "team", "platform"), T0, T0));
    Alert swap = firing(Alerts.labels("alertname", "swap-in-high", "team", "platform"));
    assertThat(
            inhibitor.snapshot(List.of(fleet, swap)).isInhibited(swap.fingerprint(), swap.labels()))
        .isFalse();
  }

  @Test
  void missingEqualLabelsOnBothSidesCountAsEqualAndAnAlertNeverInhibitsItself() {
    Inhibitor any =
        new Inhibitor(
            List.of(
                new InhibitRule(
                    List.of(Matcher.parse("severity=\"critical\"")),
                    List.of(Matcher.parse("severity=~\"critical|warning\"")),
                    List.of("cluster"))));
    Alert crit = firing(Alerts.labels("alertname", "a", "severity", "critical"));
    Alert warn = firing(Alerts.labels("alertname", "b", "severity", "warning"));
    Inhibitor.Snapshot s = any.snapshot(List.of(crit, warn));
    assertThat(s.isInhibited(warn.fingerprint(), warn.labels())).isTrue();
    assertThat(s.isInhibited(crit.fingerprint(), crit.labels())).isFalse();
  }
}
