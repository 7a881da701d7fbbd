package dev.sixfinger.rules.ruletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped rules pass their shipped tests ({@code ./sixfinger test-rules}). */
class ShippedRuleTestsTest {
  private static final Path SHIPPED = Path.of("../config/rules");

  @Test
  void everyShippedTestPasses() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TestRules.run(SHIPPED, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String output = buffer.toString(StandardCharsets.UTF_8);

    TestRules.Report report = TestRules.run(SHIPPED);
    assertEquals(List.of(), report.ruleErrors(), output);
    assertEquals(List.of(), report.testErrors(), output);
    List<String> failed =
        report.results().stream().filter(r -> !r.passed()).map(r -> r.test().name()).toList();
    assertEquals(List.of(), failed, output);
  }

  @Test
  void everyShippedRuleHasATest() {
    Set<String> tested =
        TestRules.run(SHIPPED).results().stream()
            .map(r -> r.test().rules())
            .filter(Objects::nonNull)
            .flatMap(List::stream)
            .collect(Collectors.toSet());
    for (Rule rule : RuleSet.load(SHIPPED).rules()) {
      assertTrue(tested.contains(rule.name()), "no test names rule " + rule.name());
    }
  }
}
