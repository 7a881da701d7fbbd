package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Riemann's {@code stable}: passes events only once {@code f(event)} has kept one value for {@code
 * dt} of event time. When the value changes, the event starts a buffer; events with the same value
 * join it; when one arrives {@code dt} or more after the first, or when the context's time reaches
 * first + {@code dt} (a timer), the whole buffer is passed on, and from then on events with that
 * value pass straight through until the value changes. A different value discards the buffer (a
 * flap resets the wait).
 *
 * <p>An event without a time counts as happening at the context's time. The buffer holds the events
 * of at most one period for the current value (bounded by the event rate times {@code dt}).
 */
final class Stable implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final long dtMicros;
  private final Function<Event, ?> f;
  private final Stream child;

  private boolean known;
  private Object value;
  private ArrayList<Event> buffer = new ArrayList<>();
  private long firstTime;
  private Timer timer;

  Stable(StreamContext ctx, long dtMicros, Function<Event, ?> f, Stream child) {
    this.ctx = ctx;
    this.dtMicros = dtMicros;
    this.f = f;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Object v = f.apply(event);
    long t = event.timeMicros() != null ? event.timeMicros() : ctx.nowMicros();
    if (known && Objects.equals(v, value)) {
      if (buffer.isEmpty()) {
        child.accept(event);
        return;
      }
      buffer.add(event);
      if (t - firstTime >= dtMicros) {
        flush();
      }
    } else {
      known = true;
      value = v;
      buffer.clear();
      buffer.add(event);
      firstTime = t;
      arm();
    }
  }

  private void arm() {
    if (timer != null) {
      timer.cancel();
    }
    timer = ctx.schedule(firstTime + dtMicros, this::timeout);
  }

  private void timeout() {
    timer = null;
    if (!buffer.isEmpty() && ctx.nowMicros() - firstTime >= dtMicros) {
      flush();
    }
  }

  private void flush() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    List<Event> out = buffer;
    buffer = new ArrayList<>();
    for (Event e : out) {
      child.accept(e);
    }
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("known", known);
    s.put("value", value);
    s.put("buffer", List.copyOf(buffer));
    s.put("firstTime", firstTime);
    s.put("timer", StreamContext.timerState(timer));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "stable");
    known = State.getBoolean(s, "known", "stable");
    value = s.get("value");
    buffer = new ArrayList<>(State.getEvents(s, "buffer", "stable"));
    firstTime = State.getLong(s, "firstTime", "stable");
    if (timer != null) {
      timer.cancel();
    }
    timer = ctx.restoreTimer(s.get("timer"), this::timeout);
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
