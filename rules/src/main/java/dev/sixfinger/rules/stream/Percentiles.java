package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code percentiles}: collects the events of each {@code interval} (context time, from
 * the first event until expiry, see {@link Periodic}) and at its end emits, for each point, the
 * event at that rank by metric with the point appended to its service ({@link Folds#quantiles}),
 * e.g. {@code "api latency 0.99"}. An expired event discards the current interval and stops the
 * ticks. Memory: the events of one interval.
 */
final class Percentiles implements Stream, Stateful, HasChildren {
  private final List<Double> points;
  private final Stream child;
  private final Periodic periodic;
  private ArrayList<Event> bin = new ArrayList<>();

  Percentiles(StreamContext ctx, long intervalMicros, List<Double> points, Stream child) {
    for (double p : points) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("percentile points must be within [0, 1], got " + p);
      }
    }
    this.points = List.copyOf(points);
    this.child = child;
    this.periodic = new Periodic(ctx, intervalMicros, this::tick);
  }

  @Override
  public void accept(Event event) {
    if (periodic.onEvent(event)) {
      bin.add(event);
    } else {
      bin = new ArrayList<>();
    }
  }

  private void tick() {
    if (bin.isEmpty()) {
      return;
    }
    List<Event> out = Folds.quantiles(bin, points);
    bin = new ArrayList<>();
    for (Event e : out) {
      child.accept(e);
    }
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = periodic.snapshot();
    s.put("bin", List.copyOf(bin));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "percentiles");
    bin = new ArrayList<>(State.getEvents(s, "bin", "percentiles"));
    periodic.restore(s, "percentiles");
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
