package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/** Passes each event of a list on, in order (Riemann's {@code smapcat identity}). */
final class Each implements BatchStream, HasChildren {
  private final Stream child;

  Each(Stream child) {
    this.child = child;
  }

  @Override
  public void accept(List<Event> events) {
    for (Event e : events) {
      child.accept(e);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
