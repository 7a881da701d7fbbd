package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;

/** Riemann's {@code expired?}: when an event counts as expired. */
public final class Expiry {
  /** The TTL assumed for an event without one, in seconds (Riemann's index default). */
  public static final float DEFAULT_TTL_SECONDS = 60f;

  /** The state the index gives an entry it expires. */
  public static final String EXPIRED_STATE = "expired";

  private Expiry() {}

  /**
   * True if the event has state {@code expired}, or if it has a time and is older than its TTL (60
   * s when it has none) at {@code nowMicros}. An event without a time expires only by state.
   */
  public static boolean isExpired(Event event, long nowMicros) {
    if (hasExpiredState(event)) {
      return true;
    }
    Long time = event.timeMicros();
    if (time == null) {
      return false;
    }
    float ttl = event.ttl() != null ? event.ttl() : DEFAULT_TTL_SECONDS;
    return nowMicros - time > Micros.ofSeconds(ttl);
  }

  /**
   * The last time at which the event is not yet expired by age: {@link #isExpired} is true for any
   * later time (and at any time if the state is {@code expired}). {@code Long.MAX_VALUE} for an
   * event without a time.
   */
  public static long ageDeadlineMicros(Event event) {
    Long time = event.timeMicros();
    if (time == null) {
      return Long.MAX_VALUE;
    }
    long ttl = Micros.ofSeconds(event.ttl() != null ? event.ttl() : DEFAULT_TTL_SECONDS);
    return time > Long.MAX_VALUE - ttl ? Long.MAX_VALUE : time + ttl;
  }

  /** True if the event's state is {@code expired}, as the index emits when an entry expires. */
  public static boolean hasExpiredState(Event event) {
    return EXPIRED_STATE.equals(event.state());
  }
}
