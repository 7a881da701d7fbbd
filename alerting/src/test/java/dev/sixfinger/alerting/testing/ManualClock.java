package dev.sixfinger.alerting.testing;

import dev.sixfinger.core.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. */
public final class ManualClock implements Clock {
  private final AtomicLong micros;

  public ManualClock(long startMicros) {
    micros = new AtomicLong(startMicros);
  }

  @Override
  public long nowMicros() {
    return micros.get();
  }

  public long advance(Duration d) {
    return micros.addAndGet(d.toNanos() / 1000);
  }

  public void set(long nowMicros) {
    micros.set(nowMicros);
  }
}
