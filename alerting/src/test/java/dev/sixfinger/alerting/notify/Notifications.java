package dev.sixfinger.alerting.notify;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Notifications as the dispatcher makes them. */
final class Notifications {
  static final long T0 = 1_700_000_000_000_000L;
  static final URI CONSOLE = URI.create("http://sixfinger.example:8080/");

  private Notifications() {}

  static Alert alert(String host, String severity, boolean firing, List<Event> evidence) {
    Map<String, String> labels =
        Alerts.labels("alertname", "disk-full", "severity", severity, "host", host);
    return Alert.of(
        Alerts.record(
            labels,
            firing ? AlertRecord.Status.FIRING : AlertRecord.Status.RESOLVED,
            T0,
            firing ? null : T0 + 60_000_000L,
            firing ? T0 : T0 + 60_000_000L,
            evidence));
  }

  static Notification of(Receiver r, List<Alert> firing, List<Alert> resolved, Set<String> open) {
    return new Notification(
        "{}:{alertname=\"disk-full\"}",
        r,
        Map.of("alertname", "disk-full"),
        firing,
        resolved,
        open,
        Set.of(),
        T0,
        CONSOLE);
  }
}
