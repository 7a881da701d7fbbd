package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code moving-time-window}: the events whose time is within {@code dt} of the latest
 * event time seen (the horizon): the window is (horizon − dt, horizon]. Each event that lands in
 * the window makes the stage emit the whole window, in arrival order.
 *
 * <p>Out of order: a late event still inside the window is added and emitted with it; an event at
 * or before horizon − dt is dropped without emitting anything. Deviation: Riemann keeps events
 * without a time forever; here they count as happening at the context's time, so they age out like
 * the rest. Memory: the events of one window.
 */
final class MovingTimeWindow implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final long dtMicros;
  private final BatchStream child;
  private final ArrayList<Event> events = new ArrayList<>();
  private long[] times = new long[8];
  private long cutoff = Long.MIN_VALUE;

  MovingTimeWindow(StreamContext ctx, long dtMicros, BatchStream child) {
    this.ctx = ctx;
    this.dtMicros = dtMicros;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    long t = event.timeMicros() != null ? event.timeMicros() : ctx.nowMicros();
    if (t - dtMicros > cutoff) {
      cutoff = t - dtMicros;
      evict();
    }
    if (t <= cutoff) {
      return;
    }
    add(event, t);
    child.accept(List.copyOf(events));
  }

  private void add(Event event, long t) {
    if (events.size() == times.length) {
      times = Arrays.copyOf(times, times.length * 2);
    }
    times[events.size()] = t;
    events.add(event);
  }

  // Keeps arrival order; late events can sit behind newer ones, so scan the whole window.
  private void evict() {
    int kept = 0;
    for (int i = 0; i < events.size(); i++) {
      if (times[i] > cutoff) {
        times[kept] = times[i];
        events.set(kept, events.get(i));
        kept++;
      }
    }
    events.subList(kept, events.size()).clear();
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("cutoff", cutoff);
    s.put("events", List.copyOf(events));
    List<Long> ts = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      ts.add(times[i]);
    }
    s.put("times", ts);
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "moving time window");
    cutoff = State.getLong(s, "cutoff", "moving time window");
    List<Event> es = State.getEvents(s, "events", "moving time window");
    Object ts = s.get("times");
    if (!(ts instanceof List<?> tl) || tl.size() != es.size()) {
      throw new IllegalArgumentException("moving time window state 'times' must match 'events'");
    }
    events.clear();
    for (int i = 0; i < es.size(); i++) {
      add(es.get(i), ((Number) tl.get(i)).longValue());
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
