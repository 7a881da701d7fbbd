package dev.sixfinger.rules.ruletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.config.RuleParser;
import dev.sixfinger.rules.config.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleTestParserTest {
  private static final RuleSet RULES =
      new RuleSet(
          RuleParser.parse(
              "r.yml",
              """
              - name: hot
                match: service = "temp"
                condition: metric > 50
                for: 1m
                alert: {severity: warning, summary: "{{host}} is hot"}
              - name: drain-only
                match: service = "temp"
                condition: metric > 90
                for: 0s
                health: {action: drain, reason: too hot}
              """,
              new ArrayList<>()),
          List.of());

  private static List<String> errors(String text) {
    List<RuleError> errors = new ArrayList<>();
    RuleTestParser.parse("t.yml", text, RULES, errors);
    return errors.stream().map(RuleError::toString).toList();
  }

  @Test
  void parsesAndExpandsEvents() {
    List<RuleError> errors = new ArrayList<>();
    List<RuleTest> tests =
        RuleTestParser.parse(
            "t.yml",
            """
            - name: a test
              rules: hot
              start: 2026-03-01T12:00:00Z
              events:
                - {at: 1m, host: n3, service: temp, metric: 1.5, ttl: 30, tags: [x]}
                - {at: 0s, every: 30s, until: 1m, host: [n1, n2], service: temp, metric: 60}
              expect:
                - {at: 1m30s, alert: hot, status: firing, labels: {host: n1}}
                - {at: 2m, health: [n1, n2], action: none}
            """,
            RULES,
            errors);
    assertEquals(List.of(), errors);
    RuleTest t = tests.get(0);
    assertEquals(List.of("hot"), t.rules());
    assertEquals(List.of(0L, 0L, 30_000_000L, 30_000_000L, 60_000_000L), atTimes(t));
    assertEquals("n2", t.events().get(1).event().host());
    long start = 1_772_366_400_000_000L; // 2026-03-01T12:00:00Z
    assertEquals(start + 30_000_000L, t.events().get(2).event().timeMicros());
    assertEquals(1.5, t.events().get(4).event().metric());
    assertEquals(60L, t.events().get(0).event().metric());
    assertEquals(30f, t.events().get(4).event().ttl());
    assertEquals(
        new RuleTest.AlertExpectation(
            90_000_000L, "hot", AlertRecord.Status.FIRING, Map.of("host", "n1"), null, null, 8, 7),
        t.expect().get(0));
    assertEquals(3, t.expect().size());
    assertEquals(120_000_000L, t.endMicros()); // no advance: the last expectation
    assertTrue(t.exact());
  }

  private static List<Long> atTimes(RuleTest t) {
    return t.events().stream().map(RuleTest.TimedEvent::atMicros).toList();
  }

  @Test
  void locatesEveryError() {
    assertEquals(
        List.of(
            "t.yml:2:3: unknown key 'colour' in a test case",
            "t.yml:4:12: at '5q' is not a duration such as 30s, 5m, 6m51s, 1h or 500ms",
            "t.yml:5:7: every and until must be given together",
            "t.yml:5:36: metric 'lots' is not a number",
            "t.yml:8:36: 'fired' is not one of [firing, resolved]",
            "t.yml:9:23: no rule named 'cold'",
            "t.yml:10:23: rule 'drain-only' has no alert",
            "t.yml:11:7: an expectation needs either alert or health",
            "t.yml:12:36: 'evict' is not one of [cordon, drain, none]",
            "t.yml:13:12: advance must not be before the last event (at +1m)"),
        errors(
            """
            - name: broken
              colour: red
              events:
                - {at: 5q, service: temp}
                - {at: 1m, every: 10s, metric: lots}
                - {at: 1m, service: temp}
              expect:
                - {at: 1m, alert: hot, status: fired}
                - {at: 1m, alert: cold, status: firing}
                - {at: 1m, alert: drain-only, status: firing}
                - {at: 1m}
                - {at: 1m, health: n1, action: evict}
              advance: 30s
            """));
  }

  @Test
  void invalidYamlAndShape() {
    List<String> e = errors("- name: x\n  events: [\n");
    assertEquals(1, e.size());
    assertTrue(e.get(0).startsWith("t.yml:3:1: invalid YAML: "), e.toString());
    assertEquals(List.of("t.yml:1:1: a test file must be a list of test cases"), errors("a: 1\n"));
    assertEquals(
        List.of(
            "t.yml:1:3: missing required key 'events'", "t.yml:1:3: missing required key 'expect'"),
        errors("- name: x\n"));
    assertEquals(
        List.of("t.yml:1:20: no rule named 'nope'"),
        errors("- {name: x, rules: [nope], events: [], expect: []}\n"));
    assertEquals(
        List.of("t.yml:1:61: every expands to more than 1000000 events"),
        errors("- {name: x, expect: [], events: [{at: 0s, until: 1d, every: 1ms}]}\n"));
  }

  @Test
  void aCaseWithAnErrorIsLeftOutAndTheOthersKept() {
    List<RuleError> errors = new ArrayList<>();
    List<RuleTest> tests =
        RuleTestParser.parse(
            "t.yml",
            """
            - {name: bad, events: [{at: x}], expect: []}
            - {name: good, events: [{at: 0s}], expect: []}
            """,
            RULES,
            errors);
    assertEquals(1, errors.size());
    assertEquals(List.of("good"), tests.stream().map(RuleTest::name).toList());
  }
}
