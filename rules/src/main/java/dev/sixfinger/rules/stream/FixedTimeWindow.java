package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code fixed-time-window}: non-overlapping windows of {@code dt} of event time,
 * starting at the first timed event's time: [start + k·dt, start + (k+1)·dt). A window is emitted
 * (in arrival order) when the first event at or past its end arrives; each event is emitted at most
 * once. Events without a time join the current window.
 *
 * <p>Out of order: a late event within the current window joins it; an event older than the current
 * window's start belongs to a window already emitted and is dropped. Deviation: Riemann also emits
 * an empty list for each window skipped over by a gap; here they are not emitted (folds have
 * nothing to fold, and a long gap would emit without bound). Nothing is emitted on a timer: event
 * time alone closes windows. Memory: the events of one window.
 */
final class FixedTimeWindow implements Stream, Stateful, HasChildren {
  private final long dtMicros;
  private final BatchStream child;
  private ArrayList<Event> buffer = new ArrayList<>();
  private Long start;

  FixedTimeWindow(long dtMicros, BatchStream child) {
    this.dtMicros = dtMicros;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Long t = event.timeMicros();
    if (t == null) {
      buffer.add(event);
      return;
    }
    if (start == null) {
      start = t;
      buffer.add(event);
      return;
    }
    if (t < start) {
      return;
    }
    if (t - start < dtMicros) {
      buffer.add(event);
      return;
    }
    long delta = t - start;
    start = start + (delta - delta % dtMicros);
    List<Event> out = List.copyOf(buffer);
    buffer = new ArrayList<>();
    buffer.add(event);
    if (!out.isEmpty()) {
      child.accept(out);
    }
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("start", start);
    s.put("buffer", List.copyOf(buffer));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "fixed time window");
    start = State.getLongOrNull(s, "start", "fixed time window");
    buffer = new ArrayList<>(State.getEvents(s, "buffer", "fixed time window"));
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
