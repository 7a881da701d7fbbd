package dev.sixfinger.collector.agent.sampler;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Turns monotonically increasing kernel counters into differences and per-second rates, keyed by
 * name. Every reading becomes the base for the next one. There is no result for the first reading
 * of a key, when the counter went backwards (reset, 32-bit wrap, reboot, device re-created) or when
 * time did not advance: a wrong rate is worse than a missing one, since a huge or negative value
 * would fire alerts. Not thread-safe; a sampler owns its instance.
 */
public final class CounterRates {
  private record Reading(long value, long timeMicros) {}

  private final Map<String, Reading> last = new HashMap<>();

  /** The increase of the counter since its previous reading, or empty (see the class comment). */
  public OptionalLong delta(String key, long value, long nowMicros) {
    Reading previous = last.put(key, new Reading(value, nowMicros));
    if (!usable(previous, value, nowMicros)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(value - previous.value());
  }

  /** The increase per second since the previous reading, or empty (see the class comment). */
  public OptionalDouble perSecond(String key, long value, long nowMicros) {
    Reading previous = last.put(key, new Reading(value, nowMicros));
    if (!usable(previous, value, nowMicros)) {
      return OptionalDouble.empty();
    }
    double seconds = (nowMicros - previous.timeMicros()) / 1e6;
    return OptionalDouble.of((value - previous.value()) / seconds);
  }

  /**
   * Forgets counters not read at {@code nowMicros}, so that devices and interfaces that went away
   * (containers create and drop them all the time) do not accumulate.
   */
  public void forgetOthersThan(long nowMicros) {
    last.values().removeIf(r -> r.timeMicros() != nowMicros);
  }

  /** Number of counters remembered; for tests. */
  int size() {
    return last.size();
  }

  private static boolean usable(Reading previous, long value, long nowMicros) {
    return previous != null && value >= previous.value() && nowMicros > previous.timeMicros();
  }
}
