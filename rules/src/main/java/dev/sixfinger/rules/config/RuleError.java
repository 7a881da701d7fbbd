package dev.sixfinger.rules.config;

/** One problem in a rule file, with a 1-based line and column. */
public record RuleError(String file, int line, int column, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
