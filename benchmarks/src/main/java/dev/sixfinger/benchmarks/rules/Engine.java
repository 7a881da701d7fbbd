package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.engine.RuleEngine;
import java.util.Locale;

/**
 * The rules engine ({@link RuleEngine}, default settings) as the engine's runner drives it: before
 * each event whose time is past the engine's, {@link RuleEngine#advanceTo} that time (timers, index
 * expiry), then {@link RuleEngine#accept}. Unlike {@link CompiledStreams}, it also keeps the index
 * of the latest event per host and service, and dispatches events by service. Records are counted.
 */
final class Engine implements RulesUnderTest {
  private final RuleEngine engine;
  private long alerts;
  private long health;

  Engine(RuleSet rules, long startMicros) {
    engine = new RuleEngine(rules, startMicros, EngineSettings.DEFAULTS, this::record);
  }

  private void record(EngineRecord r) {
    if (r instanceof AlertRecord) {
      alerts++;
    } else {
      health++;
    }
  }

  @Override
  public void accept(Event event) {
    Long time = event.timeMicros();
    if (time != null && time > engine.nowMicros()) {
      engine.advanceTo(time);
    }
    engine.accept(event);
  }

  @Override
  public String summary() {
    return String.format(
        Locale.ROOT,
        "engine: %,d alert and %,d health records, %,d entries in its index",
        alerts,
        health,
        engine.index().size());
  }
}
