package dev.sixfinger.indexer.bulk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a random wait up to the doubled bound), so that several
 * writers retrying against a recovering cluster do not arrive in step.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got initial " + initial + " and max " + max);
    }
  }

  /** The wait before retry number {@code attempt} (1 for the first retry). */
  public long delayMillis(int attempt) {
    long bound = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    bound = Math.min(bound, max.toMillis());
    return Math.max(1, ThreadLocalRandom.current().nextLong(bound + 1));
  }
}
