package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.config.RuleSet;

/**
 * What the rules throughput benchmark feeds: events one at a time, on one thread, in event-time
 * order (per host). To measure another implementation, add it to {@link #create} under a new name
 * and pass that name as the benchmark's {@code sut} parameter ({@code run-rules-benchmark.sh --sut
 * NAME,query-loop}).
 */
public interface RulesUnderTest {

  /** Takes one event; advances time as the event's time says, if it keeps time at all. */
  void accept(Event event);

  /** A one-line account of what it did (outputs, state), printed after a run as a sanity check. */
  String summary();

  /**
   * The implementations by name: {@code streams} (the rule set compiled to streams), {@code engine}
   * (the rules engine: index, dispatch by service, streams) and {@code query-loop} (the baseline).
   */
  static RulesUnderTest create(String name, RuleSet rules, long startMicros) {
    return switch (name) {
      case "streams" -> new CompiledStreams(rules, startMicros);
      case "engine" -> new Engine(rules, startMicros);
      case "query-loop" -> new QueryLoop(rules);
      default ->
          throw new IllegalArgumentException(
              "unknown system under test '" + name + "'; known: streams, engine, query-loop");
    };
  }
}
