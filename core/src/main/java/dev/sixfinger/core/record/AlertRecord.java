package dev.sixfinger.core.record;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import java.util.List;
import java.util.Map;

/**
 * An alert transition for {@code sixfinger.alerts}, keyed by fingerprint. {@code endsAtMicros} is
 * null while firing. {@code labels} always hold {@code alertname} and, when the rule has one,
 * {@code severity}, then the rule's labels and the values of its {@code by} fields.
 */
public record AlertRecord(
    String fingerprint,
    String rule,
    Status status,
    String severity,
    Map<String, String> labels,
    String summary,
    String description,
    long startsAtMicros,
    Long endsAtMicros,
    long timeMicros,
    List<String> hosts,
    List<Event> evidence)
    implements EngineRecord {

  public enum Status {
    FIRING,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AlertRecord {
    labels = Map.copyOf(labels);
    hosts = List.copyOf(hosts);
    evidence = List.copyOf(evidence);
  }

  @Override
  public String topic() {
    return Topics.ALERTS;
  }

  @Override
  public String key() {
    return fingerprint;
  }
}
