package dev.sixfinger.rules.config;

import dev.sixfinger.core.query.Query;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One parsed rule. {@code window} and {@code aggregate} are null when absent; {@code alert} and
 * {@code health} are null when the rule does not produce them; {@code fleetFraction} is null for a
 * per-entity rule. {@code line} and {@code column} locate the rule in its file.
 */
public record Rule(
    String name,
    String file,
    Query match,
    List<String> by,
    Query condition,
    Duration forDuration,
    Duration window,
    String aggregate,
    Alert alert,
    Health health,
    Double fleetFraction,
    int line,
    int column) {

  /** The alert output: severity is critical, error, warning or info. */
  public record Alert(
      String severity, Map<String, String> labels, String summary, String description) {}

  /** The health output: action is cordon or drain. */
  public record Health(String action, String reason) {}

  public boolean isFleet() {
    return fleetFraction != null;
  }
}
