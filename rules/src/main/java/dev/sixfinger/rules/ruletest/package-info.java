/**
 * Rule tests, like {@code riemann test}: YAML cases of timed events and the alert transitions and
 * health changes they must produce, run against a rule set on a manual clock. Format in RULES.md.
 */
package dev.sixfinger.rules.ruletest;
