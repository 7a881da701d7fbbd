package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code ddt} (between events): for each event with a metric after the first, passes it
 * on with its metric replaced by (metric − previous metric) / (time − previous time) in seconds, as
 * a double. Events without a metric are dropped; an event at the same time as the previous one is
 * dropped (but becomes the previous). "Previous" is the previous arrival, so a late event gives a
 * slope against a newer one, as in Riemann. Events without a time count as happening at the
 * context's time. Riemann's {@code (ddt interval)} form, which emits on a timer, is not provided.
 */
final class Ddt implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final Stream child;
  private Event previous;
  private long previousTime;

  Ddt(StreamContext ctx, Stream child) {
    this.ctx = ctx;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    if (event.metric() == null) {
      return;
    }
    long t = event.timeMicros() != null ? event.timeMicros() : ctx.nowMicros();
    Event prev = previous;
    long prevTime = previousTime;
    previous = event;
    previousTime = t;
    if (prev == null || t == prevTime) {
      return;
    }
    double slope =
        (event.metricAsDouble() - prev.metricAsDouble()) / Micros.toSeconds(t - prevTime);
    child.accept(Folds.withMetric(event, slope));
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("previous", previous);
    s.put("previousTime", previousTime);
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "ddt");
    previous = State.getEvent(s, "previous", "ddt");
    previousTime = State.getLong(s, "previousTime", "ddt");
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
