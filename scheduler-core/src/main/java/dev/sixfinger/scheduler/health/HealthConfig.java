package dev.sixfinger.scheduler.health;

import java.util.Set;

/**
 * Guard-rails on automation and drain settings.
 *
 * @param maxFraction automation never keeps more than this fraction of known hosts out of service
 *     (rounded down: with 10 hosts and 0.2, at most 2)
 * @param maxPerMinute automation takes at most this many hosts out in any 60 seconds
 * @param drainGraceMicros running work on a draining host is stopped this long after the drain
 * @param dryRunRules rules whose decisions are recorded and shown but not applied
 */
public record HealthConfig(
    double maxFraction, int maxPerMinute, long drainGraceMicros, Set<String> dryRunRules) {
  public static final long MINUTE_MICROS = 60_000_000L;
  public static final HealthConfig DEFAULTS =
      new HealthConfig(0.2, 5, 10 * MINUTE_MICROS, Set.of());

  public HealthConfig {
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException("health maxFraction " + maxFraction + " must be in 0..1");
    }
    if (maxPerMinute < 0) {
      throw new IllegalArgumentException("health maxPerMinute " + maxPerMinute + " must be >= 0");
    }
    if (drainGraceMicros < 0) {
      throw new IllegalArgumentException("health drainGrace must not be negative");
    }
    dryRunRules = Set.copyOf(dryRunRules);
  }

  public HealthConfig withDryRun(Set<String> rules) {
    return new HealthConfig(maxFraction, maxPerMinute, drainGraceMicros, rules);
  }

  public int maxOut(int hosts) {
    return (int) Math.floor(maxFraction * hosts + 1e-9);
  }
}
