package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleSet;
import java.util.Locale;

/**
 * The baseline: a hand-written loop that, for each event, evaluates every rule's {@code match} and,
 * where it matches, its {@code condition} ({@link Query#matches}), and counts the rules that hold.
 * No stream machinery: no per-entity state, no windows, no timers, no outputs. It is the floor of
 * any implementation that tries each rule on each event.
 */
final class QueryLoop implements RulesUnderTest {
  private final Query[] matches;
  private final Query[] conditions;
  private long matched;
  private long holding;

  QueryLoop(RuleSet rules) {
    matches = rules.rules().stream().map(Rule::match).toArray(Query[]::new);
    conditions = rules.rules().stream().map(Rule::condition).toArray(Query[]::new);
  }

  @Override
  public void accept(Event event) {
    for (int i = 0; i < matches.length; i++) {
      if (matches[i].matches(event)) {
        matched++;
        if (conditions[i].matches(event)) {
          holding++;
        }
      }
    }
  }

  long holding() {
    return holding;
  }

  @Override
  public String summary() {
    return String.format(
        Locale.ROOT,
        "query-loop: %,d rule matches, %,d of them with the condition holding",
        matched,
        holding);
  }
}
