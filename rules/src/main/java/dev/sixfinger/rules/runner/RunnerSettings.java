package dev.sixfinger.rules.runner;

import dev.sixfinger.rules.engine.EngineSettings;
import java.time.Duration;
import java.util.Map;

/**
 * @param bootstrapServers the Kafka cluster
 * @param group the consumer group whose offsets the engine commits, also naming its snapshot and
 *     (as {@code sixfinger-rules-GROUP}) its transactional id: a second engine of the same group
 *     fences the first, so one engine at a time writes outputs
 * @param commitInterval how often outputs and offsets are committed (the latency they add)
 * @param snapshotInterval how often the whole state is written with the offsets it covers (the most
 *     a restart replays)
 * @param idleTick with nothing to process, how often a tick is written, so that time and its timers
 *     (expiry, {@code for}) go on while nothing arrives
 * @param maxBuffered records buffered per partition before its fetching pauses
 * @param startFromEarliest where an engine with no snapshot and no committed offsets begins: the
 *     start of the retained log (a backfill), or else its end
 * @param engine the engine's own settings
 * @param kafkaOverrides extra settings for the engine's consumers and producer
 */
public record RunnerSettings(
    String bootstrapServers,
    String group,
    Duration commitInterval,
    Duration snapshotInterval,
    Duration idleTick,
    int maxBuffered,
    boolean startFromEarliest,
    EngineSettings engine,
    Map<String, Object> kafkaOverrides) {

  public static final String DEFAULT_GROUP = "sixfinger-rules";

  public RunnerSettings {
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    if (maxBuffered < 1) {
      throw new IllegalArgumentException("maxBuffered must be at least 1, got " + maxBuffered);
    }
  }

  /** Defaults: commit every 100 ms, snapshot every minute, idle tick every second. */
  public static RunnerSettings defaults(String bootstrapServers) {
    return new RunnerSettings(
        bootstrapServers,
        DEFAULT_GROUP,
        Duration.ofMillis(100),
        Duration.ofMinutes(1),
        Duration.ofSeconds(1),
        50_000,
        false,
        EngineSettings.DEFAULTS,
        Map.of());
  }

  public RunnerSettings withStartFromEarliest(boolean earliest) {
    return new RunnerSettings(
        bootstrapServers,
        group,
        commitInterval,
        snapshotInterval,
        idleTick,
        maxBuffered,
        earliest,
        engine,
        kafkaOverrides);
  }

  public RunnerSettings withIdleTick(Duration d) {
    return new RunnerSettings(
        bootstrapServers,
        group,
        commitInterval,
        snapshotInterval,
        d,
        maxBuffered,
        startFromEarliest,
        engine,
        kafkaOverrides);
  }

  public RunnerSettings withGroup(String g) {
    return new RunnerSettings(
        bootstrapServers,
        g,
        commitInterval,
        snapshotInterval,
        idleTick,
        maxBuffered,
        startFromEarliest,
        engine,
        kafkaOverrides);
  }

  public RunnerSettings withSnapshotInterval(Duration d) {
    return new RunnerSettings(
        bootstrapServers,
        group,
        commitInterval,
        d,
        idleTick,
        maxBuffered,
        startFromEarliest,
        engine,
        kafkaOverrides);
  }

  public RunnerSettings withEngine(EngineSettings e) {
    return new RunnerSettings(
        bootstrapServers,
        group,
        commitInterval,
        snapshotInterval,
        idleTick,
        maxBuffered,
        startFromEarliest,
        e,
        kafkaOverrides);
  }
}
