package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.config.RuleParser;
import dev.sixfinger.rules.config.RuleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of the throughput benchmark: the shipped rule set ({@code config/rules}) plus {@code n}
 * generated per-host rules, two per service {@code gen/metric-S} (a warning and a critical
 * threshold), in four shapes by {@code S % 4}:
 *
 * <ol start="0">
 *   <li>{@code for: 0s}: fires at once;
 *   <li>{@code for:} 1 to 5 minutes;
 *   <li>{@code window: 1m}, {@code aggregate: mean}, {@code for: 2m};
 *   <li>{@code by: [host]}, {@code window: 5m}, {@code aggregate: max}, {@code for: 1m}.
 * </ol>
 *
 * Warning thresholds are 70 to 79, critical ones 90 to 97; {@link AgentFeed} sends values of 0 to
 * 60, and 85 to 100 from hosts in trouble.
 */
public final class RuleWorkload {
  private RuleWorkload() {}

  /** Generated services for {@code generatedRules} rules: two rules per service. */
  public static int generatedServices(int generatedRules) {
    return (generatedRules + 1) / 2;
  }

  /**
   * The shipped rules of {@code dir} and {@code generated} more.
   *
   * @throws IllegalArgumentException if either has errors
   */
  public static RuleSet ruleSet(Path dir, int generated) {
    RuleSet shipped = RuleSet.load(dir);
    if (!shipped.ok()) {
      throw new IllegalArgumentException(
          "the rules of " + dir.toAbsolutePath() + " have errors: " + shipped.errors());
    }
    List<RuleError> errors = new ArrayList<>();
    List<Rule> more = RuleParser.parse("generated.yml", generatedYaml(generated), errors);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("generated rules have errors: " + errors);
    }
    List<Rule> all = new ArrayList<>(shipped.rules());
    all.addAll(more);
    return new RuleSet(all, List.of());
  }

  /** The generated rules as a rule file. */
  static String generatedYaml(int n) {
    StringBuilder y = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int s = i / 2;
      boolean critical = i % 2 == 1;
      String service = AgentFeed.generatedService(s);
      int threshold = critical ? 90 + s % 8 : 70 + s % 10;
      y.append(
          String.format(
              Locale.ROOT,
              "- name: gen-metric-%d-%s%n  match: service = \"%s\"%n  condition: metric > %d%n",
              s,
              critical ? "critical" : "warning",
              service,
              threshold));
      switch (s % 4) {
        case 0 -> y.append("  for: 0s\n");
        case 1 -> y.append(String.format(Locale.ROOT, "  for: %dm%n", 1 + s % 5));
        case 2 -> y.append("  for: 2m\n  window: 1m\n  aggregate: mean\n");
        default -> y.append("  by: [host]\n  for: 1m\n  window: 5m\n  aggregate: max\n");
      }
      y.append(
          String.format(
              Locale.ROOT,
              "  alert:%n    severity: %s%n    summary: \"{{host}} %s is {{metric}}\"%n",
              critical ? "critical" : "warning",
              service));
    }
    return y.toString();
  }
}
