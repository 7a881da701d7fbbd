package dev.sixfinger.alerting.config;

/** One problem in an alerting configuration file, with a 1-based line and column. */
public record ConfigError(String file, int line, int column, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
