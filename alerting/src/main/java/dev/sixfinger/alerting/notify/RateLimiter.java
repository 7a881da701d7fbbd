package dev.sixfinger.alerting.notify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (PagerDuty routing key, webhook URL), plus the {@code Retry-After} a
 * receiver asked for: {@link #reserve} takes a token and says how long to wait before using it.
 * Thread-safe.
 */
public final class RateLimiter {
  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Map<String, Long> blockedUntil = new HashMap<>();

  /**
   * @param burst tokens a key may use at once
   * @param perMinute tokens refilled per minute
   * @param nanoTime monotonic time, {@link System#nanoTime} outside tests
   */
  public RateLimiter(int burst, int perMinute, LongSupplier nanoTime) {
    this.capacity = burst;
    this.perNano = perMinute / 60e9;
    this.nanoTime = nanoTime;
  }

  /** Takes one token for {@code key}: the time to wait before sending (zero if none). */
  public synchronized Duration reserve(String key) {
    long now = nanoTime.getAsLong();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    b.tokens = Math.min(capacity, b.tokens + (now - b.refilledAt) * perNano);
    b.refilledAt = now;
    b.tokens -= 1;
    long wait = b.tokens >= 0 ? 0 : (long) Math.ceil(-b.tokens / perNano);
    Long until = blockedUntil.get(key);
    if (until != null) {
      if (until - now > wait) {
        wait = until - now;
      } else if (until <= now) {
        blockedUntil.remove(key);
      }
    }
    return Duration.ofNanos(Math.max(0, wait));
  }

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }

  /** The receiver said: nothing more for {@code key} during {@code d}. */
  public synchronized void block(String key, Duration d) {
    long until = nanoTime.getAsLong() + d.toNanos();
    blockedUntil.merge(key, until, Math::max);
  }
}
