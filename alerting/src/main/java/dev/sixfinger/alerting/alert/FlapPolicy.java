package dev.sixfinger.alerting.alert;

import java.time.Duration;

/**
 * When an alert counts as flapping: it changed status more than {@code maxChanges} times within
 * {@code window}. A flapping alert is held (treated as firing, not notified on each flip) until it
 * has not changed status for {@code stableFor}; then its real status counts again.
 *
 * <p>Defaults ({@link #DEFAULT}): more than 4 changes in 15 minutes, stable after 10 minutes. The
 * first {@code firing} of an alert counts as a change.
 */
public record FlapPolicy(int maxChanges, Duration window, Duration stableFor) {
  public static final FlapPolicy DEFAULT =
      new FlapPolicy(4, Duration.ofMinutes(15), Duration.ofMinutes(10));

  /** Detection off: no alert is ever held. */
  public static final FlapPolicy OFF =
      new FlapPolicy(Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO);

  public FlapPolicy {
    if (maxChanges < 1) {
      throw new IllegalArgumentException(
          "flapping max_changes must be at least 1, got " + maxChanges);
    }
    if (window.isNegative() || stableFor.isNegative()) {
      throw new IllegalArgumentException("flapping window and stable_for must not be negative");
    }
    if (maxChanges != Integer.MAX_VALUE && maxChanges >= AlertStore.HISTORY_LIMIT) {
      throw new IllegalArgumentException(
          "flapping max_changes must be below " + AlertStore.HISTORY_LIMIT + ", got " + maxChanges);
    }
  }

  public boolean enabled() {
    return maxChanges != Integer.MAX_VALUE;
  }
}
