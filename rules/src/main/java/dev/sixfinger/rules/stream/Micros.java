package dev.sixfinger.rules.stream;

import java.time.Duration;

/** Conversions between durations, seconds and the microseconds that events carry. */
final class Micros {
  static final double PER_SECOND = 1_000_000d;

  private Micros() {}

  /**
   * A positive duration in microseconds.
   *
   * @throws IllegalArgumentException naming {@code what} if the duration is not positive
   */
  static long positive(Duration duration, String what) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be a positive duration, got " + duration);
    }
    long micros = duration.toNanos() / 1000;
    if (micros <= 0) {
      throw new IllegalArgumentException(what + " must be at least 1 µs, got " + duration);
    }
    return micros;
  }

  static long ofSeconds(double seconds) {
    return Math.round(seconds * PER_SECOND);
  }

  static double toSeconds(long micros) {
    return micros / PER_SECOND;
  }
}
