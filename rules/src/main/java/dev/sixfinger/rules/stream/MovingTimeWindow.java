package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
  // A ring in arrival order: eviction from the head costs nothing per kept event.
  private Event[] events = new Event[8];
  private long[] times = new long[8];
  private int head;
  private int size;
  // While arrival order is also time order (the usual case) the oldest events are at the head.
  private boolean inOrder = true;
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
    Event[] window = new Event[size];
    for (int i = 0; i < size; i++) {
      window[i] = events[slot(i)];
    }
    // A fresh array: a child may keep the list.
    child.accept(Collections.unmodifiableList(Arrays.asList(window)));
  }

  private int slot(int i) {
    int j = head + i;
    return j < events.length ? j : j - events.length;
  }

  private void add(Event event, long t) {
    if (size == events.length) {
      Event[] e = new Event[size * 2];
      long[] ts = new long[size * 2];
      for (int i = 0; i < size; i++) {
        e[i] = events[slot(i)];
        ts[i] = times[slot(i)];
      }
      events = e;
      times = ts;
      head = 0;
    }
    if (size > 0 && t < times[slot(size - 1)]) {
      inOrder = false;
    }
    int at = slot(size);
    events[at] = event;
    times[at] = t;
    size++;
  }

  private void evict() {
    if (inOrder) {
      while (size > 0 && times[head] <= cutoff) {
        events[head] = null;
        head = slot(1);
        size--;
      }
      return;
    }
    // Late events can sit behind newer ones: scan the whole window, keeping arrival order.
    int kept = 0;
    boolean ordered = true;
    for (int i = 0; i < size; i++) {
      int from = slot(i);
      if (times[from] > cutoff) {
        int to = slot(kept);
        if (kept > 0 && times[from] < times[slot(kept - 1)]) {
          ordered = false;
        }
        long t = times[from];
        Event e = events[from];
        events[to] = e;
        times[to] = t;
        kept++;
      }
    }
    for (int i = kept; i < size; i++) {
      events[slot(i)] = null;
    }
    size = kept;
    inOrder = ordered;
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("cutoff", cutoff);
    List<Event> es = new ArrayList<>(size);
    List<Long> ts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      es.add(events[slot(i)]);
      ts.add(times[slot(i)]);
    }
    s.put("events", es);
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
    Arrays.fill(events, null);
    head = 0;
    size = 0;
    inOrder = true;
    for (int i = 0; i < es.size(); i++) {
      add(es.get(i), ((Number) tl.get(i)).longValue());
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
