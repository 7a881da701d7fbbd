package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Riemann's {@code coalesce}: remembers the latest event per key (host and service by default) and,
 * every {@code dt} of context time from the first event, passes all of them on as one list, in the
 * order their keys first appeared.
 *
 * <p>Deviation: Riemann includes an expired event in one more list and then forgets it; here an
 * event with state {@code expired} removes its key at once, and an entry past its TTL is dropped
 * before the list is built, so that folds over the list (a count of live hosts) see live events
 * only. When nothing is left the periodic flush stops (no empty list), and the next event starts it
 * again. Memory: one event per key that has not expired.
 */
final class Coalesce implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final long dtMicros;
  private final Function<Event, ?> keyFn;
  private final BatchStream child;
  private final LinkedHashMap<Object, Event> latest = new LinkedHashMap<>();
  private Timer timer;

  Coalesce(StreamContext ctx, long dtMicros, Function<Event, ?> keyFn, BatchStream child) {
    this.ctx = ctx;
    this.dtMicros = dtMicros;
    this.keyFn = keyFn;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Object key = keyFn.apply(event);
    if (Expiry.hasExpiredState(event)) {
      latest.remove(key);
      return;
    }
    latest.put(key, event);
    if (timer == null) {
      timer = ctx.schedule(ctx.nowMicros() + dtMicros, this::flush);
    }
  }

  private void flush() {
    timer = null;
    long now = ctx.nowMicros();
    for (Iterator<Event> it = latest.values().iterator(); it.hasNext(); ) {
      if (Expiry.isExpired(it.next(), now)) {
        it.remove();
      }
    }
    if (latest.isEmpty()) {
      return;
    }
    timer = ctx.schedule(now + dtMicros, this::flush);
    child.accept(List.copyOf(latest.values()));
  }

  /** Keys remembered; for tests. */
  int size() {
    return latest.size();
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    List<Object> entries = new ArrayList<>();
    for (Map.Entry<Object, Event> e : latest.entrySet()) {
      entries.add(Arrays.asList(e.getKey(), e.getValue()));
    }
    s.put("entries", entries);
    s.put("timer", StreamContext.timerState(timer));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "coalesce");
    latest.clear();
    Object entries = s.get("entries");
    if (!(entries instanceof List<?> list)) {
      throw new IllegalArgumentException("coalesce state 'entries' must be a list: " + entries);
    }
    for (Object o : list) {
      if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(1) instanceof Event e)) {
        throw new IllegalArgumentException("coalesce entry must be [key, event]: " + o);
      }
      latest.put(pair.get(0), e);
    }
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
