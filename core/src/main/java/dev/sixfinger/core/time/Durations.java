package dev.sixfinger.core.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in configuration and on the command line: {@code 500ms}, {@code
 * 30s}, {@code 5m}, {@code 2h}, {@code 1d}; fractions allowed ({@code 1.5s}).
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param what names the setting in the error message, e.g. {@code "interval"}
   * @throws IllegalArgumentException naming the setting, the text and the accepted form
   */
  public static Duration parse(String text, String what) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          what + " '" + text + "' is not a duration such as 500ms, 30s, 5m, 2h or 1d");
    }
    double value = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> value;
          case "s" -> value * 1_000;
          case "m" -> value * 60_000;
          case "h" -> value * 3_600_000;
          default -> value * 86_400_000;
        };
    return Duration.ofMillis(Math.round(millis));
  }
}
