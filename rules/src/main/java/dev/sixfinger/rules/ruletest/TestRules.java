package dev.sixfinger.rules.ruletest;

import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.config.RuleSet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code test-rules DIR}: runs the test cases of {@code DIR/tests/*.yml} against the rules of
 * {@code DIR}, printing PASS or FAIL with a diff per case, and every error in the rule and test
 * files as {@code file:line:column: message}.
 */
public final class TestRules {
  private TestRules() {}

  /**
   * What a run found. No test runs when the rules have errors; a case with errors is not run.
   *
   * @param testsDir where the test files were looked for
   */
  public record Report(
      Path testsDir,
      List<RuleError> ruleErrors,
      List<RuleError> testErrors,
      List<RuleTestResult> results) {
    public long failed() {
      return results.stream().filter(r -> !r.passed()).count();
    }

    /** Valid rules and test files, at least one test, and every test passed. */
    public boolean ok() {
      return ruleErrors.isEmpty() && testErrors.isEmpty() && !results.isEmpty() && failed() == 0;
    }
  }

  /** Returns 0 when {@link Report#ok()}, 1 otherwise. */
  public static int run(Path dir, PrintStream out) {
    Report report = run(dir);
    report.ruleErrors().forEach(out::println);
    if (!report.ruleErrors().isEmpty()) {
      out.println(report.ruleErrors().size() + " errors in the rules; no tests run");
      return 1;
    }
    report.testErrors().forEach(out::println);
    for (RuleTestResult result : report.results()) {
      RuleTest test = result.test();
      out.println(
          (result.passed() ? "PASS " : "FAIL ")
              + test.file()
              + ":"
              + test.line()
              + ": "
              + test.name());
      result.details().forEach(line -> out.println("  " + line));
    }
    if (report.results().isEmpty() && report.testErrors().isEmpty()) {
      out.println("no tests in " + report.testsDir() + "/*.yml");
      return 1;
    }
    long failed = report.failed();
    int errors = report.testErrors().size();
    out.println(
        report.results().size()
            + " tests: "
            + (report.results().size() - failed)
            + " passed, "
            + failed
            + " failed"
            + (errors == 0 ? "" : "; " + errors + " errors in the test files"));
    return report.ok() ? 0 : 1;
  }

  public static Report run(Path dir) {
    Path testsDir = dir.resolve("tests");
    RuleSet rules = RuleSet.load(dir);
    if (!rules.ok()) {
      return new Report(testsDir, rules.errors(), List.of(), List.of());
    }
    List<RuleError> errors = new ArrayList<>();
    List<RuleTest> tests = new ArrayList<>();
    for (Path file : testFiles(testsDir)) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        tests.addAll(RuleTestParser.parse(file.toString(), text, rules, errors));
      } catch (IOException | UncheckedIOException e) {
        errors.add(new RuleError(file.toString(), 1, 1, "cannot read: " + e.getMessage()));
      }
    }
    List<RuleTestResult> results = new ArrayList<>();
    for (RuleTest test : tests) {
      results.add(RuleTestRunner.run(rules, test));
    }
    return new Report(testsDir, List.of(), errors, results);
  }

  private static List<Path> testFiles(Path testsDir) {
    if (!Files.isDirectory(testsDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(testsDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + testsDir, e);
    }
  }
}
