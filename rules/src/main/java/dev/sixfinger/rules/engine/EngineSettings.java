package dev.sixfinger.rules.engine;

import java.time.Duration;

/**
 * @param defaultTtl the ttl of indexed events that carry none (Riemann: 60 s)
 * @param healthTtl how long a health record holds unless renewed; the engine renews records in
 *     force every third of it, so a consumer sees them expire only when the engine has stopped
 */
public record EngineSettings(Duration defaultTtl, Duration healthTtl) {
  public static final EngineSettings DEFAULTS =
      new EngineSettings(Duration.ofSeconds(60), Duration.ofMinutes(15));

  public EngineSettings {
    if (defaultTtl.isNegative() || defaultTtl.isZero()) {
      throw new IllegalArgumentException("defaultTtl must be positive, got " + defaultTtl);
    }
    if (healthTtl.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("healthTtl must be at least 3 seconds, got " + healthTtl);
    }
  }
}
