package dev.sixfinger.rules.replay;

import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.engine.RuleEngine;
import dev.sixfinger.rules.runner.LogReader;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs a rule set over {@code sixfinger.events} between two times and reports what would have been
 * emitted, in the order and at the times a live engine would have emitted it (the same merge of
 * partitions, the same ticks). It reads without a consumer group and writes nothing, so the live
 * engine and its state are untouched. The engine starts empty at {@code from}: rules whose {@code
 * for} began before it fire later than they did live, so start a while before the time of interest.
 */
public final class Backtest {
  /** What a run went through. */
  public record Summary(long records, long events, long emitted, long fromMicros, long toMicros) {}

  private Backtest() {}

  /**
   * @param to the end of the range (exclusive); null for the end of the log now
   * @param progress called with the records read so far, now and then
   */
  public static Summary run(
      String bootstrapServers,
      Map<String, Object> kafkaOverrides,
      RuleSet rules,
      Instant from,
      Instant to,
      EngineSettings settings,
      Consumer<EngineRecord> out,
      LongConsumer progress) {
    long fromMicros = micros(from);
    long[] emitted = new long[1];
    RuleEngine engine =
        new RuleEngine(
            rules,
            fromMicros,
            settings,
            r -> {
              emitted[0]++;
              out.accept(r);
            });
    LogReader.Result read =
        LogReader.read(bootstrapServers, kafkaOverrides, from, to, engine, progress);
    long end = to != null ? micros(to) : engine.nowMicros();
    engine.advanceTo(end);
    return new Summary(read.records(), read.events(), emitted[0], fromMicros, end);
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
