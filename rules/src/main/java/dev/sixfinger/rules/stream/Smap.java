package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.function.Function;

/** Riemann's {@code smap}: passes {@code f(event)} on when it is not null. */
final class Smap implements Stream, HasChildren {
  private final Function<Event, Event> f;
  private final Stream child;

  Smap(Function<Event, Event> f, Stream child) {
    this.f = f;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Event out = f.apply(event);
    if (out != null) {
      child.accept(out);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
