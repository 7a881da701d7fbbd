package dev.sixfinger.alerting.notify;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Bounded retries with exponential backoff and full jitter: before attempt {@code n + 1} wait a
 * uniformly random time in {@code [0, min(max, base * 2^(n-1))]}. {@link #DEFAULT}: 6 attempts,
 * base 500 ms, cap 30 s (at most about a minute of waiting in all).
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max, DoubleSupplier random) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          6,
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    long baseNanos = base.toNanos();
    int shift = Math.min(attempt - 1, 40);
    long cap = max.toNanos();
    long ceiling = baseNanos > (cap >> shift) ? cap : Math.min(cap, baseNanos << shift);
    return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
  }
}
