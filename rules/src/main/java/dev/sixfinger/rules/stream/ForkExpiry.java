package dev.sixfinger.rules.stream;

import java.time.Duration;

/**
 * When {@link Streams#by} frees a fork (its child streams and all their state and timers):
 *
 * <ul>
 *   <li>{@code idle}: once its key has seen no event for this long (context time); null never.
 *   <li>{@code onExpiredEvent}: right after an event with state {@code expired} for its key has
 *       passed through it, so that the fork's streams see the expiry before they go. Right when the
 *       key is the index's (host and service); with a coarser key (host alone) one expired service
 *       frees the whole host's fork, so turn it off there.
 * </ul>
 *
 * Freeing drops whatever the fork had pending (a rollup buffer, a stable buffer) without emitting
 * it; an event for the key later starts a fresh fork.
 */
public record ForkExpiry(Duration idle, boolean onExpiredEvent) {
  /** One hour idle, and on expired events: the default of {@link Streams#by}. */
  public static final ForkExpiry DEFAULT = new ForkExpiry(Duration.ofHours(1), true);

  public ForkExpiry {
    if (idle != null) {
      Micros.positive(idle, "fork idle time");
    }
  }

  public static ForkExpiry idle(Duration idle) {
    return new ForkExpiry(idle, true);
  }
}
