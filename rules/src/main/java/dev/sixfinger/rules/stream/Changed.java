package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Riemann's {@code changed}: passes an event when {@code f(event)} differs ({@link Objects#equals})
 * from its value for the previous event; the first event is compared with {@code init}.
 */
final class Changed implements Stream, Stateful, HasChildren {
  private final Function<Event, ?> f;
  private final Stream child;
  private Object previous;

  Changed(Function<Event, ?> f, Object init, Stream child) {
    this.f = f;
    this.previous = init;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Object current = f.apply(event);
    boolean changed = !Objects.equals(current, previous);
    previous = current;
    if (changed) {
      child.accept(event);
    }
  }

  @Override
  public Object snapshot() {
    // A one-element list, since the value itself may be null.
    return Collections.singletonList(previous);
  }

  @Override
  public void restore(Object state) {
    if (!(state instanceof List<?> list) || list.size() != 1) {
      throw new IllegalArgumentException("changed state must be a one-element list: " + state);
    }
    previous = list.get(0);
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
