package dev.sixfinger.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleParserTest {
  private static final Path FIXTURES = Path.of("src/test/resources/rules");
  private static final Path SHIPPED = Path.of("../config/rules");

  private static List<String> errors(String text) {
    List<RuleError> errors = new ArrayList<>();
    RuleParser.parse("f.yml", text, errors);
    return errors.stream().map(RuleError::toString).toList();
  }

  @Test
  void reportsEveryErrorWithLineAndColumn() {
    RuleSet set = RuleSet.load(FIXTURES.resolve("bad"));
    String f = FIXTURES.resolve("bad").resolve("a.yml").toString();
    assertEquals(
        List.of(
            f + ":5:3: unknown key 'colour' in a rule",
            f + ":2:27: bad query: expected",
            f + ":4:8: for '5q' is not a duration such as 500ms, 30s, 5m, 2h or 1d",
            f + ":7:15: 'fatal' is not one of [critical, error, info, warning]",
            f + ":10:17: bad query: expected",
            f + ":9:3: missing required key 'condition'"),
        set.errors().stream().map(e -> trimQuery(e.toString())).toList());
    assertTrue(set.rules().isEmpty());
  }

  private static String trimQuery(String s) {
    int i = s.indexOf("bad query: expected");
    return i < 0 ? s : s.substring(0, i + "bad query: expected".length());
  }

  @Test
  void duplicateNamesAcrossFiles() {
    RuleSet set = RuleSet.load(FIXTURES.resolve("dup"));
    String b = FIXTURES.resolve("dup").resolve("b.yml").toString();
    assertEquals(1, set.errors().size());
    assertTrue(
        set.errors().get(0).toString().startsWith(b + ":7:3: duplicate rule name 'same' (also in "),
        set.errors().toString());
  }

  @Test
  void invalidYamlAndShape() {
    assertEquals(List.of("f.yml:1:1: a rule file must be a list of rules"), errors("a: 1\n"));
    List<String> e = errors("- name: x\n  match: [1\n");
    assertEquals(1, e.size());
    assertTrue(e.get(0).startsWith("f.yml:"), e.toString());
    assertEquals(
        List.of(
            "f.yml:1:3: missing required key 'match'",
            "f.yml:1:3: missing required key 'condition'",
            "f.yml:1:3: missing required key 'for'",
            "f.yml:1:3: a rule needs an alert, a health decision, or both"),
        errors("- name: x\n"));
  }

  @Test
  void fleetFractionAndWindowAggregate() {
    String base =
        "- name: x\n  match: service = \"a\"\n  condition: metric > 1\n  for: 1m\n"
            + "  health: {action: cordon, reason: r}\n";
    assertEquals(
        List.of("f.yml:6:21: fleet fraction must be at least 0 and below 1"),
        errors(base + "  fleet: {fraction: 1.5}\n"));
    assertEquals(
        List.of("f.yml:1:3: window and aggregate must be given together"),
        errors(base + "  window: 1m\n"));
    assertEquals(List.of(), errors(base + "  window: 1m\n  aggregate: mean\n"));
  }

  @Test
  void shippedRulesParse() {
    RuleSet set = RuleSet.load(SHIPPED);
    assertEquals(List.of(), set.errors());
    assertEquals(8, set.rules().size());
    assertTrue(set.rules().stream().anyMatch(Rule::isFleet));
  }

  @Test
  void checkRulesPrintsErrorsAndExitCode() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc =
        CheckRules.run(FIXTURES.resolve("bad"), new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(1, rc);
    assertTrue(out.contains("a.yml:5:3: unknown key 'colour' in a rule"), out);
    assertEquals(
        0,
        CheckRules.run(
            SHIPPED, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
  }
}
