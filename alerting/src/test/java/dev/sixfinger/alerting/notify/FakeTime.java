package dev.sixfinger.alerting.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock that only a {@link Sleeper} moves: tests wait without waiting. */
final class FakeTime implements Sleeper {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    nanos.addAndGet(d.toNanos());
  }

  long nanoTime() {
    return nanos.get();
  }

  synchronized Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }

  static HttpSender sender(FakeTime t, int maxAttempts, int burst, int perMinute) {
    return new HttpSender(
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
        new RetryPolicy(maxAttempts, Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999),
        new RateLimiter(burst, perMinute, t::nanoTime),
        t);
  }
}
