package dev.sixfinger.rules.ruletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.config.RuleParser;
import dev.sixfinger.rules.config.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleTestRunnerTest {
  private static final String RULES =
      """
      - name: hot
        match: service = "temp"
        condition: metric > 50
        for: 1m
        alert: {severity: warning, summary: "{{host}} is hot"}
        health: {action: cordon, reason: hot}
      - name: gone
        match: service = "beat"
        by: [host]
        condition: state = "expired"
        for: 0s
        alert: {severity: critical, summary: "{{host}} is gone"}
      """;
  private static final RuleSet SET = new RuleSet(rules(), List.of());

  private static List<dev.sixfinger.rules.config.Rule> rules() {
    List<RuleError> errors = new ArrayList<>();
    var rules = RuleParser.parse("r.yml", RULES, errors);
    assertEquals(List.of(), errors);
    return rules;
  }

  private static RuleTestResult run(String text) {
    List<RuleError> errors = new ArrayList<>();
    List<RuleTest> tests = RuleTestParser.parse("t.yml", text, SET, errors);
    assertEquals(List.of(), errors);
    return RuleTestRunner.run(SET, tests.get(0));
  }

  private static final String EVENTS =
      """
        events:
          - {at: 0s, every: 10s, until: 2m, host: n1, service: temp, metric: 60}
          - {at: 2m, host: n1, service: temp, metric: 20}
      """;

  @Test
  void passesWhenEveryTransitionIsExpected() {
    RuleTestResult r =
        run(
            "- name: ok\n"
                + EVENTS
                + """
                  expect:
                    - {at: 1m, alert: hot, status: firing, labels: {host: n1}, summary: n1 is hot}
                    - {at: 1m, health: n1, action: cordon}
                    - {at: 2m, alert: hot, status: resolved}
                    - {at: 2m, health: n1, action: none}
                """);
    assertTrue(r.passed(), r.details().toString());
    assertEquals(List.of(), r.details());
  }

  @Test
  void aFailingCaseShowsExpectedAgainstActual() {
    RuleTestResult r =
        run(
            "- name: wrong time\n"
                + EVENTS
                + """
                  expect:
                    - {at: 50s, alert: hot, status: firing, labels: {host: n1}}
                    - {at: 2m, alert: hot, status: resolved, labels: {host: n1}}
                """);
    assertFalse(r.passed());
    assertEquals(
        List.of(
            "expected:",
            "  MISSING    +50s     alert hot firing {host=n1}",
            "  ok         +2m      alert hot resolved {host=n1}",
            "actual:",
            "  UNEXPECTED +1m      alert hot firing {host=n1, service=temp, severity=warning}"
                + " \"n1 is hot\"",
            "  UNEXPECTED +1m      health n1 cordon",
            "  ok         +2m      alert hot resolved {host=n1, service=temp, severity=warning}"
                + " \"n1 is hot\"",
            "  UNEXPECTED +2m      health n1 none"),
        r.details());
  }

  @Test
  void labelsAreASubsetAndOtherFieldsMustMatch() {
    RuleTestResult r =
        run(
            "- name: labels\n"
                + "  expect_exactly: false\n"
                + EVENTS
                + """
                  expect:
                    - {at: 1m, alert: hot, status: firing, labels: {host: n2}}
                """);
    assertFalse(r.passed());
    assertEquals("  MISSING    +1m      alert hot firing {host=n2}", r.details().get(1));
    assertEquals("actual (expect_exactly: false):", r.details().get(2));
    assertTrue(r.details().get(3).startsWith("             +1m      alert hot firing"));
  }

  @Test
  void notExactToleratesOtherTransitions() {
    RuleTestResult r =
        run(
            "- name: loose\n"
                + "  expect_exactly: false\n"
                + EVENTS
                + "  expect: [{at: 2m, alert: hot, status: resolved}]\n");
    assertTrue(r.passed(), r.details().toString());
  }

  @Test
  void expiryIsSeenAtTheFirstTickAfterTheDeadline() {
    RuleTestResult r =
        run(
            """
            - name: expiry
              rules: [gone]
              tick: 5s
              events:
                - {at: 0s, host: n1, service: beat, ttl: 90}
              advance: 3m
              expect:
                - {at: 1m35s, alert: gone, status: firing, labels: {host: n1}}
            """);
    assertTrue(r.passed(), r.details().toString());
  }

  @Test
  void offsetsAreWrittenAsTestsWriteThem() {
    assertEquals("+0s", Offsets.format(0));
    assertEquals("+5m", Offsets.format(300_000_000L));
    assertEquals("+1h1m1.5s", Offsets.format(3_661_500_000L));
    assertEquals("-0.25s", Offsets.format(-250_000L));
  }

  @Test
  void theCommandReportsParseErrorsAndFailures(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("r.yml"), RULES);
    Files.createDirectory(dir.resolve("tests"));
    Files.writeString(
        dir.resolve("tests/a.yml"),
        "- name: fails\n" + EVENTS + "  expect: []\n- name: broken\n  events: []\n");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status = TestRules.run(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String out = buffer.toString(StandardCharsets.UTF_8);
    String file = dir.resolve("tests/a.yml").toString();
    assertEquals(1, status);
    assertTrue(out.startsWith(file + ":6:3: missing required key 'expect'\n"), out);
    assertTrue(out.contains("FAIL " + file + ":1: fails\n  expected:\n    (nothing)\n"), out);
    assertTrue(out.endsWith("1 tests: 0 passed, 1 failed; 1 errors in the test files\n"), out);
  }

  @Test
  void theCommandFailsWithoutTests(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("r.yml"), RULES);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    assertEquals(1, TestRules.run(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8)));
    assertEquals(
        "no tests in " + dir.resolve("tests") + "/*.yml\n",
        buffer.toString(StandardCharsets.UTF_8));
  }
}
