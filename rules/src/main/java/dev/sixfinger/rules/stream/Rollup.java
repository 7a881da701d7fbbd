package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code rollup}: calls its child at most {@code n} times per window of {@code dt}. The
 * first {@code n} events of a window go on at once, each as a one-event list; later ones are
 * buffered and go on together as one list when the window ends (a timer). That flush counts as the
 * first call of the next window. Windows are context time, aligned to when the stage was built, as
 * with {@link Throttle}. The buffer holds at most one window's surplus.
 */
final class Rollup implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final int n;
  private final long dtMicros;
  private final BatchStream child;
  private long anchor;
  private long windowEnd = Long.MIN_VALUE;
  private int sent;
  private ArrayList<Event> buffer = new ArrayList<>();
  private Timer timer;

  Rollup(StreamContext ctx, int n, long dtMicros, BatchStream child) {
    if (n < 1) {
      throw new IllegalArgumentException("rollup count must be at least 1, got " + n);
    }
    this.ctx = ctx;
    this.n = n;
    this.dtMicros = dtMicros;
    this.child = child;
    this.anchor = ctx.nowMicros();
  }

  @Override
  public void accept(Event event) {
    long now = ctx.nowMicros();
    if (now >= windowEnd) {
      windowEnd = anchor + (Math.floorDiv(now - anchor, dtMicros) + 1) * dtMicros;
      sent = 0;
    }
    if (sent < n) {
      sent++;
      child.accept(List.of(event));
      return;
    }
    buffer.add(event);
    if (timer == null) {
      timer = ctx.schedule(windowEnd, this::flush);
    }
  }

  private void flush() {
    timer = null;
    if (buffer.isEmpty()) {
      return;
    }
    List<Event> out = List.copyOf(buffer);
    buffer = new ArrayList<>();
    // The flush happens at windowEnd: it is the first call of the window that starts there.
    windowEnd += dtMicros;
    sent = 1;
    child.accept(out);
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("anchor", anchor);
    s.put("windowEnd", windowEnd);
    s.put("sent", (long) sent);
    s.put("buffer", List.copyOf(buffer));
    s.put("timer", StreamContext.timerState(timer));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "rollup");
    anchor = State.getLong(s, "anchor", "rollup");
    windowEnd = State.getLong(s, "windowEnd", "rollup");
    sent = (int) State.getLong(s, "sent", "rollup");
    buffer = new ArrayList<>(State.getEvents(s, "buffer", "rollup"));
    if (timer != null) {
      timer.cancel();
    }
    timer = ctx.restoreTimer(s.get("timer"), this::flush);
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
