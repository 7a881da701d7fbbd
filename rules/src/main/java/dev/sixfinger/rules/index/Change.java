package dev.sixfinger.rules.index;

import dev.sixfinger.core.event.Event;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Index#subscribe subscriber} receives: the current entries first (as {@link
 * Kind#UPDATE}), then every change that concerns its query.
 *
 * @param kind what happened to the entry
 * @param event the entry's new event; for {@link Kind#EXPIRE}, the event with state {@code expired}
 */
public record Change(Kind kind, Event event) {
  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(event, "event");
  }

  /** Kinds of change; a subscriber that applies them in order holds exactly the query's answer. */
  public enum Kind {
    /** The entry now holds this event, which matches the query: add or replace it. */
    UPDATE,
    /**
     * The entry was replaced by this event, which no longer matches the query (while the one it
     * replaced did): drop the entry from the view.
     */
    REMOVE,
    /** The entry left the index: its ttl ran out, or an event with state expired removed it. */
    EXPIRE;

    /** Lower-case name, e.g. for a server-sent event: {@code update}, {@code remove}, ... */
    public String eventName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
