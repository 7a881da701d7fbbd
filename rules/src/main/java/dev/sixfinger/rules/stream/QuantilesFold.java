package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/** Passes on, one by one, the events of each list at the given quantiles. */
final class QuantilesFold implements BatchStream, HasChildren {
  private final List<Double> points;
  private final Stream child;

  QuantilesFold(List<Double> points, Stream child) {
    for (double p : points) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("quantile points must be within [0, 1], got " + p);
      }
    }
    this.points = List.copyOf(points);
    this.child = child;
  }

  @Override
  public void accept(List<Event> events) {
    for (Event e : Folds.quantiles(events, points)) {
      child.accept(e);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
