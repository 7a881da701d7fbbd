package dev.sixfinger.core.time;

/** Time as Sixfinger sees it; tests pass a manual clock so that windows and TTLs are exact. */
public interface Clock {
  /** Microseconds since the epoch. */
  long nowMicros();

  static Clock system() {
    return () -> {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    };
  }
}
