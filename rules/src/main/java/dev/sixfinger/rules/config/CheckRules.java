package dev.sixfinger.rules.config;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code check-rules DIR}: prints every error as {@code file:line:column: message}. */
public final class CheckRules {
  private CheckRules() {}

  /** Returns 0 when the rules in {@code dir} are valid, 1 otherwise. */
  public static int run(Path dir, PrintStream out) {
    RuleSet set = RuleSet.load(dir);
    for (RuleError error : set.errors()) {
      out.println(error);
    }
    if (set.ok()) {
      out.println(set.rules().size() + " rules OK");
      return 0;
    }
    out.println(set.errors().size() + " errors");
    return 1;
  }
}
