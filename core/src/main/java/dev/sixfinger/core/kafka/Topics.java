package dev.sixfinger.core.kafka;

import java.util.List;

/** The names of Sixfinger's Kafka topics; see DESIGN.md for their keys and contents. */
public final class Topics {
  /** Every ingested event; key = host, value = protobuf Event. */
  public static final String EVENTS = "sixfinger.events";

  public static final String ALERTS = "sixfinger.alerts";

  /** Compacted, key = host. */
  public static final String HEALTH = "sixfinger.health";

  /** Compacted, key = silence id. */
  public static final String SILENCES = "sixfinger.silences";

  /** Compacted, key = group and receiver. */
  public static final String NOTIFICATIONS = "sixfinger.notifications";

  public static final String SCHEDULER = "sixfinger.scheduler";

  /** What could not be processed, with the reason. */
  public static final String DLQ = "sixfinger.dlq";

  public static final List<String> ALL =
      List.of(EVENTS, ALERTS, HEALTH, SILENCES, NOTIFICATIONS, SCHEDULER, DLQ);

  public static final List<String> COMPACTED = List.of(HEALTH, SILENCES, NOTIFICATIONS);

  private Topics() {}
}
