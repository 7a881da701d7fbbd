package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Riemann's {@code tag}: tags become the given tags then the event's own, without duplicates. */
final class Tag implements Stream, HasChildren {
  private final List<String> tags;
  private final Stream child;

  Tag(List<String> tags, Stream child) {
    this.tags = List.copyOf(tags);
    this.child = child;
  }

  @Override
  public void accept(Event e) {
    LinkedHashSet<String> merged = new LinkedHashSet<>(tags);
    merged.addAll(e.tags());
    child.accept(
        new Event(
            e.host(),
            e.service(),
            e.state(),
            e.description(),
            e.metric(),
            new ArrayList<>(merged),
            e.attributes(),
            e.timeMicros(),
            e.ttl()));
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
