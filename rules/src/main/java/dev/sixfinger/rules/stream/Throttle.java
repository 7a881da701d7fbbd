package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code throttle}: passes the first {@code n} events of each window of {@code dt} and
 * drops the rest, adding no latency. As in Riemann, windows are context time (not event time),
 * aligned to the moment the stage was built: [anchor + k·dt, anchor + (k+1)·dt). No timer is
 * needed: the window is worked out when an event arrives.
 */
final class Throttle implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final int n;
  private final long dtMicros;
  private final Stream child;
  private long anchor;
  private long window = Long.MIN_VALUE;
  private int sent;

  Throttle(StreamContext ctx, int n, long dtMicros, Stream child) {
    if (n < 1) {
      throw new IllegalArgumentException("throttle count must be at least 1, got " + n);
    }
    this.ctx = ctx;
    this.n = n;
    this.dtMicros = dtMicros;
    this.child = child;
    this.anchor = ctx.nowMicros();
  }

  @Override
  public void accept(Event event) {
    long w = Math.floorDiv(ctx.nowMicros() - anchor, dtMicros);
    if (w != window) {
      window = w;
      sent = 0;
    }
    if (sent < n) {
      sent++;
      child.accept(event);
    }
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("anchor", anchor);
    s.put("window", window);
    s.put("sent", (long) sent);
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "throttle");
    anchor = State.getLong(s, "anchor", "throttle");
    window = State.getLong(s, "window", "throttle");
    sent = (int) State.getLong(s, "sent", "throttle");
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
