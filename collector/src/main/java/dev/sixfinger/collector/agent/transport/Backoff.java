package dev.sixfinger.collector.agent.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry number {@code n} (from 0) wait a uniformly
 * random time in {@code [0, min(max, min * 2^n)]}. The jitter spreads a fleet of agents that lost
 * the same server apart, so that they do not all come back at the same instant.
 */
public final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  /**
   * @param random uniform values in [0, 1]; tests pass fixed ones
   */
  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < min <= max, got min " + min + " and max " + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  public Backoff(Duration min, Duration max) {
    this(min, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The upper bound of the wait before retry {@code attempt}: min doubled per attempt, capped. */
  public Duration cap(int attempt) {
    // Doubles are exact enough here and cannot overflow the way shifting a long would.
    double nanos = Math.min((double) maxNanos, minNanos * Math.pow(2, Math.max(0, attempt)));
    return Duration.ofNanos((long) nanos);
  }

  /** A random wait in [0, cap(attempt)]. */
  public Duration delay(int attempt) {
    double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
    return Duration.ofNanos((long) (cap(attempt).toNanos() * r));
  }
}
