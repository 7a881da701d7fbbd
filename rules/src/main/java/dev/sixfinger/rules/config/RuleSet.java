package dev.sixfinger.rules.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rules of a directory of {@code *.yml} files, or every error found in them. A set with errors
 * has no rules: an invalid set must not replace a running one.
 */
public record RuleSet(List<Rule> rules, List<RuleError> errors) {

  public RuleSet {
    rules = List.copyOf(rules);
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** Loads every {@code *.yml} file of {@code dir} (not recursive), in file-name order. */
  public static RuleSet load(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      return new RuleSet(
          List.of(), List.of(new RuleError(dir.toString(), 1, 1, "cannot list: " + e)));
    }
    List<Rule> rules = new ArrayList<>();
    List<RuleError> errors = new ArrayList<>();
    Map<String, Rule> byName = new HashMap<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException | UncheckedIOException e) {
        errors.add(new RuleError(file.toString(), 1, 1, "cannot read: " + e.getMessage()));
        continue;
      }
      List<RuleError> fileErrors = new ArrayList<>();
      List<Rule> parsed = RuleParser.parse(file.toString(), text, fileErrors);
      errors.addAll(fileErrors);
      for (Rule rule : parsed) {
        Rule previous = byName.putIfAbsent(rule.name(), rule);
        if (previous != null) {
          errors.add(
              new RuleError(
                  file.toString(),
                  rule.line(),
                  rule.column(),
                  "duplicate rule name '" + rule.name() + "' (also in " + previous.file() + ")"));
        } else {
          rules.add(rule);
        }
      }
    }
    return errors.isEmpty() ? new RuleSet(rules, List.of()) : new RuleSet(List.of(), errors);
  }
}
