package dev.sixfinger.indexer.document;

import dev.sixfinger.core.kafka.Topics;
import java.util.Optional;

/** A topic the indexer stores, and the name and ECS event kind of its indices. */
public enum Dataset {
  EVENTS(Topics.EVENTS, "events", "metric"),
  ALERTS(Topics.ALERTS, "alerts", "alert"),
  HEALTH(Topics.HEALTH, "health", "state"),
  SCHEDULER(Topics.SCHEDULER, "scheduler", "event"),
  // What each receiver was told (pages sent) and the silences, for the Kibana alerts dashboard.
  NOTIFICATIONS(Topics.NOTIFICATIONS, "notifications", "event"),
  SILENCES(Topics.SILENCES, "silences", "event");

  private final String topic;
  private final String name;
  private final String kind;

  Dataset(String topic, String name, String kind) {
    this.topic = topic;
    this.name = name;
    this.kind = kind;
  }

  public String topic() {
    return topic;
  }

  /** The short name in index and template names: {@code sixfinger-<name>-YYYY.MM.DD}. */
  public String indexName() {
    return name;
  }

  /** ECS {@code event.kind}. */
  public String kind() {
    return kind;
  }

  public static Optional<Dataset> ofTopic(String topic) {
    for (Dataset d : values()) {
      if (d.topic.equals(topic)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
