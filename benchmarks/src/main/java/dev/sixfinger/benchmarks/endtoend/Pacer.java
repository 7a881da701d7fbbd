package dev.sixfinger.benchmarks.endtoend;

/**
 * The send schedule of one paced writer: message k is due at {@code start + k * period}. A writer
 * that falls behind (a pause, a full window) catches up by sending at once, but never more than
 * {@code maxLag} of backlog: older sends are dropped and counted, so that a long stall does not end
 * in a burst far above the rate. Not thread-safe: one writer thread.
 */
final class Pacer {
  private final long periodNanos;
  private final long maxLagNanos;
  private long due;
  private long dropped;

  Pacer(long startNanos, long periodNanos, long maxLagNanos) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("period must be positive, got " + periodNanos);
    }
    this.periodNanos = periodNanos;
    this.maxLagNanos = Math.max(maxLagNanos, periodNanos);
    this.due = startNanos;
  }

  /** The period that gives {@code eventsPerSecond} over {@code writers} writers. */
  static long periodNanos(double eventsPerSecond, int eventsPerMessage, int writers) {
    if (!(eventsPerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + eventsPerSecond);
    }
    return Math.max(1, Math.round(1e9 * eventsPerMessage * writers / eventsPerSecond));
  }

  /**
   * When the next message is due, as of {@code now}; first drops what lies more than {@code maxLag}
   * behind.
   */
  long due(long now) {
    long lag = now - due;
    if (lag > maxLagNanos) {
      long skip = (lag - maxLagNanos + periodNanos - 1) / periodNanos;
      due += skip * periodNanos;
      dropped += skip;
    }
    return due;
  }

  /** The message that was due has been sent. */
  void sent() {
    due += periodNanos;
  }

  /** Messages dropped from the schedule because the writer was more than maxLag behind. */
  long dropped() {
    return dropped;
  }
}
