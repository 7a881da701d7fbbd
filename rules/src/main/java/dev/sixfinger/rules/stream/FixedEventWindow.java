package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Riemann's {@code fixed-event-window}: emits every {@code n} events as one list, oldest first.
 * Ignores time. Memory: fewer than {@code n} events.
 */
final class FixedEventWindow implements Stream, Stateful, HasChildren {
  private final int n;
  private final BatchStream child;
  private ArrayList<Event> buffer;

  FixedEventWindow(int n, BatchStream child) {
    if (n < 1) {
      throw new IllegalArgumentException("window size must be at least 1, got " + n);
    }
    this.n = n;
    this.child = child;
    this.buffer = new ArrayList<>(n);
  }

  @Override
  public void accept(Event event) {
    buffer.add(event);
    if (buffer.size() == n) {
      List<Event> out = List.copyOf(buffer);
      buffer = new ArrayList<>(n);
      child.accept(out);
    }
  }

  @Override
  public Object snapshot() {
    return List.copyOf(buffer);
  }

  @Override
  public void restore(Object state) {
    List<Event> events = State.events(state, "event window state");
    if (events.size() >= n) {
      throw new IllegalArgumentException(
          "fixed event window state holds " + events.size() + " events, at most " + (n - 1));
    }
    buffer = new ArrayList<>(events);
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
