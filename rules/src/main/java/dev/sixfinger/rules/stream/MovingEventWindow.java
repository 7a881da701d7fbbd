package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Riemann's {@code moving-event-window}: on every event, emits the last {@code n} events, oldest
 * first. Ignores time. Memory: {@code n} events.
 */
final class MovingEventWindow implements Stream, Stateful, HasChildren {
  private final int n;
  private final BatchStream child;
  private final ArrayDeque<Event> window;

  MovingEventWindow(int n, BatchStream child) {
    if (n < 1) {
      throw new IllegalArgumentException("window size must be at least 1, got " + n);
    }
    this.n = n;
    this.child = child;
    this.window = new ArrayDeque<>(n);
  }

  @Override
  public void accept(Event event) {
    if (window.size() == n) {
      window.removeFirst();
    }
    window.addLast(event);
    child.accept(List.copyOf(window));
  }

  @Override
  public Object snapshot() {
    return List.copyOf(window);
  }

  @Override
  public void restore(Object state) {
    List<Event> events = State.events(state, "event window state");
    window.clear();
    for (Event e : events.subList(Math.max(0, events.size() - n), events.size())) {
      window.addLast(e);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
