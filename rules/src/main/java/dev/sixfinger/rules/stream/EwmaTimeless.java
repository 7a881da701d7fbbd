package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/**
 * Riemann's {@code ewma-timeless}: average = r·metric + (1 − r)·average, starting from 0 as in
 * Riemann (so early outputs are pulled towards 0), ignoring time. An event without a metric is
 * passed on with no metric and leaves the average alone.
 */
final class EwmaTimeless implements Stream, Stateful, HasChildren {
  private final double r;
  private final Stream child;
  private double average;

  EwmaTimeless(double r, Stream child) {
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalArgumentException("ewma weight r must be within [0, 1], got " + r);
    }
    this.r = r;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    if (event.metric() == null) {
      child.accept(event);
      return;
    }
    average = r * event.metricAsDouble() + (1 - r) * average;
    child.accept(Folds.withMetric(event, average));
  }

  @Override
  public Object snapshot() {
    return average;
  }

  @Override
  public void restore(Object state) {
    if (!(state instanceof Number n)) {
      throw new IllegalArgumentException("ewma-timeless state must be a number: " + state);
    }
    average = n.doubleValue();
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
