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

  /**
   * Every scheduler change (job, instance, host and health events), JSON; key = job uuid or host.
   * The scheduler writes all of them to partition 0, because its state is a fold that needs one
   * total order; readers (executors, the indexer) read partition 0 in order.
   */
  public static final String SCHEDULER = "sixfinger.scheduler";

  /** The partition of {@link #SCHEDULER} that carries every scheduler event, in order. */
  public static final int SCHEDULER_PARTITION = 0;

  /** What could not be processed, with the reason. */
  public static final String DLQ = "sixfinger.dlq";

  /**
   * Compacted, one partition, key = engine group: the rules engine's latest snapshot (gzipped JSON,
   * possibly many MiB) with the event offsets it covers.
   */
  public static final String RULES_STATE = "sixfinger.rules-state";

  /** Largest snapshot {@link #RULES_STATE} accepts. */
  public static final int RULES_STATE_MAX_BYTES = 64 * 1024 * 1024;

  /**
   * Compacted, one partition, key = scheduler group: the scheduler's latest snapshot (JSON) with
   * the offset of {@link #SCHEDULER} partition 0 it covers; at most {@link #RULES_STATE_MAX_BYTES}.
   */
  public static final String SCHEDULER_STATE = "sixfinger.scheduler-state";

  public static final List<String> ALL =
      List.of(
          EVENTS,
          ALERTS,
          HEALTH,
          SILENCES,
          NOTIFICATIONS,
          SCHEDULER,
          DLQ,
          RULES_STATE,
          SCHEDULER_STATE);

  public static final List<String> COMPACTED =
      List.of(HEALTH, SILENCES, NOTIFICATIONS, RULES_STATE, SCHEDULER_STATE);

  /**
   * A record of {@link #EVENTS} with this header and no value is a tick, not an event: the rules
   * engine writes one into a partition that has been idle, so that time moves on in the log itself
   * and a replay sees exactly what a live run saw. Readers of events skip it.
   */
  public static final String TICK_HEADER = "sixfinger-tick";

  private Topics() {}
}
