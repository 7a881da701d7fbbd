package dev.sixfinger.scheduler.health;

import java.util.Locale;

/**
 * A host's state for the scheduler. Cordoned: no new placements, running work stays. Draining: no
 * new placements, and running work is stopped after the drain grace and requeued.
 */
public enum HealthState {
  HEALTHY,
  CORDONED,
  DRAINING;

  public boolean placeable() {
    return this == HEALTHY;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code healthy}, {@code cordon(ed)} or {@code drain(ing)}, as records and operators say.
   */
  public static HealthState parse(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "healthy", "none" -> HEALTHY;
      case "cordon", "cordoned" -> CORDONED;
      case "drain", "draining" -> DRAINING;
      default ->
          throw new IllegalArgumentException(
              "host state must be healthy, cordon or drain, got '" + text + "'");
    };
  }
}
