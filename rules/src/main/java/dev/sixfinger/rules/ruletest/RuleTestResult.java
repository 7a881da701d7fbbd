package dev.sixfinger.rules.ruletest;

import java.util.List;

/**
 * The outcome of one test case: passed, or failed with {@code details}, the lines that show
 * expected against actual transitions (or the error that stopped the run).
 */
public record RuleTestResult(RuleTest test, boolean passed, List<String> details) {
  public RuleTestResult {
    details = List.copyOf(details);
  }
}
