package dev.sixfinger.alerting.alert;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The latest known state of one alert, identified by its fingerprint (the rules engine derives it
 * from the labels, so the same labels are the same alert in every process).
 *
 * @param updatedAtMicros the time of the record this state comes from (the rules engine's clock)
 * @param evidence the events that made the alert fire or resolve, as the engine reported them
 */
public record Alert(
    String fingerprint,
    String rule,
    Map<String, String> labels,
    AlertRecord.Status status,
    String summary,
    String description,
    long startsAtMicros,
    Long endsAtMicros,
    long updatedAtMicros,
    List<String> hosts,
    List<Event> evidence) {

  public Alert {
    Objects.requireNonNull(fingerprint, "fingerprint");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(status, "status");
    hosts = List.copyOf(hosts);
    evidence = List.copyOf(evidence);
  }

  public static Alert of(AlertRecord r) {
    return new Alert(
        r.fingerprint(),
        r.rule(),
        r.labels(),
        r.status(),
        r.summary(),
        r.description(),
        r.startsAtMicros(),
        r.endsAtMicros(),
        r.timeMicros(),
        r.hosts(),
        r.evidence());
  }

  public boolean firing() {
    return status == AlertRecord.Status.FIRING;
  }

  public String alertname() {
    return labels.getOrDefault("alertname", rule);
  }

  public String severity() {
    return labels.get("severity");
  }

  /** Whether {@code other} carries the same content, ignoring only the record time. */
  boolean sameAs(Alert other) {
    return status == other.status
        && startsAtMicros == other.startsAtMicros
        && Objects.equals(endsAtMicros, other.endsAtMicros)
        && labels.equals(other.labels)
        && Objects.equals(summary, other.summary)
        && Objects.equals(description, other.description)
        && hosts.equals(other.hosts)
        && evidence.equals(other.evidence);
  }
}
