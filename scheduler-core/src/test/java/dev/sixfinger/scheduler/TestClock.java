package dev.sixfinger.scheduler;

import dev.sixfinger.core.time.Clock;

/** A clock that tests move by hand. */
public final class TestClock implements Clock {
  public static final long T0 = 1_767_225_600_000_000L;
  public static final long SECOND = 1_000_000L;
  public static final long MINUTE = 60 * SECOND;
  private long now = T0;

  @Override
  public long nowMicros() {
    return now;
  }

  public long advance(long micros) {
    now += micros;
    return now;
  }

  public void set(long micros) {
    now = micros;
  }
}
