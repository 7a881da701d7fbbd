package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code rate}: every {@code interval} (context time, from the first event until expiry,
 * see {@link Periodic}) emits the sum of the metrics received in that interval divided by its
 * length in seconds, as a double, on a copy of the latest event with a metric, with time set to the
 * tick's time. As in Riemann, an interval without events emits 0, and the TTL decays: it is the
 * template's TTL + interval − interval per tick since the template arrived.
 *
 * <p>Deviation: an expired event stops the ticks and also clears the sum and template (Riemann
 * keeps them, so a later start would emit a stale template and sum).
 */
final class Rate implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final long intervalMicros;
  private final Stream child;
  private final Periodic periodic;
  private double sum;
  private Event template;
  private Float ttl;

  Rate(StreamContext ctx, long intervalMicros, Stream child) {
    this.ctx = ctx;
    this.intervalMicros = intervalMicros;
    this.child = child;
    this.periodic = new Periodic(ctx, intervalMicros, this::tick);
  }

  @Override
  public void accept(Event event) {
    if (event.metric() != null) {
      template = event;
      ttl = event.ttl() == null ? null : event.ttl() + (float) Micros.toSeconds(intervalMicros);
      sum += event.metricAsDouble();
    }
    if (!periodic.onEvent(event)) {
      sum = 0;
      template = null;
      ttl = null;
    }
  }

  private void tick() {
    double rate = sum / Micros.toSeconds(intervalMicros);
    sum = 0;
    if (template == null) {
      return;
    }
    if (ttl != null) {
      ttl = ttl - (float) Micros.toSeconds(intervalMicros);
    }
    child.accept(template.toBuilder().metric(rate).timeMicros(ctx.nowMicros()).ttl(ttl).build());
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = periodic.snapshot();
    s.put("sum", sum);
    s.put("template", template);
    s.put("ttl", ttl == null ? null : ttl.doubleValue());
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "rate");
    sum = State.getDouble(s, "sum", "rate");
    template = State.getEvent(s, "template", "rate");
    ttl = s.get("ttl") == null ? null : (float) State.getDouble(s, "ttl", "rate");
    periodic.restore(s, "rate");
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
