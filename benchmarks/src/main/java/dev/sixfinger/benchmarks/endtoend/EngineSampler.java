package dev.sixfinger.benchmarks.endtoend;

import dev.sixfinger.rules.runner.EngineRunner;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Samples the engine's status every 10 ms while measuring: how far its time (the timestamp of the
 * last record it processed, as of its last commit) lags behind the wall clock. The status is
 * refreshed after each commit, so the lag includes the time since the last commit.
 */
final class EngineSampler implements AutoCloseable {
  private static final long CAUGHT_UP_NANOS = 1_000_000_000L;
  private final EngineRunner runner;
  private final Histogram lag = new Histogram(3);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean measuring;
  private volatile long lastLagNanos = Long.MAX_VALUE;
  private volatile long behindAtNanos = System.nanoTime();
  private final java.util.List<Long> snapshotNanos =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private long snapshots = -1;

  EngineSampler(EngineRunner runner) {
    this.runner = runner;
    this.thread = new Thread(this::loop, "e2e-engine-sampler");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * True when the engine's lag has stayed under a second for {@code period}: the backlog built
   * while the JIT compiled everything (slow on a small, busy machine) is gone.
   */
  boolean caughtUpFor(java.time.Duration period) {
    return lastLagNanos < CAUGHT_UP_NANOS && System.nanoTime() - behindAtNanos >= period.toNanos();
  }

  /** The engine's lag at the last sample, in milliseconds. */
  double lastLagMillis() {
    return lastLagNanos == Long.MAX_VALUE ? Double.NaN : lastLagNanos / 1e6;
  }

  void measuring(boolean on) {
    measuring = on;
  }

  private void loop() {
    while (running) {
      EngineRunner.Status s = runner.status();
      if (snapshots >= 0 && s.snapshots() > snapshots) {
        snapshotNanos.add(System.nanoTime());
      }
      snapshots = s.snapshots();
      if (s.engineTimeMicros() > 0) {
        long nowMicros = System.currentTimeMillis() * 1000;
        long lagNanos = Math.max(0, (nowMicros - s.engineTimeMicros()) * 1000);
        lastLagNanos = lagNanos;
        if (lagNanos >= CAUGHT_UP_NANOS) {
          behindAtNanos = System.nanoTime();
        }
        if (measuring) {
          lag.recordValue(lagNanos);
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** When the sampler saw a new snapshot committed (within 10 ms), on the nanoTime scale. */
  java.util.List<Long> snapshotNanos() {
    synchronized (snapshotNanos) {
      return java.util.List.copyOf(snapshotNanos);
    }
  }

  /** The lag samples, in nanoseconds; after {@link #close()}. */
  Histogram lagNanos() {
    return lag;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }
}
