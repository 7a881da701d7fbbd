package dev.sixfinger.rules.index;

import dev.sixfinger.core.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. */
final class ManualClock implements Clock {
  private final AtomicLong micros;

  ManualClock(long startMicros) {
    micros = new AtomicLong(startMicros);
  }

  @Override
  public long nowMicros() {
    return micros.get();
  }

  void advanceSeconds(double seconds) {
    micros.addAndGet(Math.round(seconds * 1e6));
  }

  void advanceMicros(long delta) {
    micros.addAndGet(delta);
  }
}
