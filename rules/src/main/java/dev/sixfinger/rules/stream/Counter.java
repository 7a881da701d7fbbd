package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/**
 * Riemann's {@code counter}: events with a metric add it to a running total and pass on with the
 * total as their metric; an event tagged {@code reset} sets the total to its metric instead. Events
 * without a metric pass unchanged. The total is an integer while every metric is (a double after
 * the first double or on overflow).
 */
final class Counter implements Stream, Stateful, HasChildren {
  static final String RESET_TAG = "reset";
  private final Stream child;
  private Number total;

  Counter(Number initial, Stream child) {
    this.total = integral(initial);
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    Number metric = event.metric();
    if (metric == null) {
      child.accept(event);
      return;
    }
    total = event.tagged(RESET_TAG) ? metric : Folds.add(total, metric);
    child.accept(Folds.withMetric(event, total));
  }

  @Override
  public Object snapshot() {
    return total;
  }

  @Override
  public void restore(Object state) {
    if (!(state instanceof Number n)) {
      throw new IllegalArgumentException("counter state must be a number: " + state);
    }
    total = integral(n);
  }

  // Integers (a JSON round trip may give an Integer back) become Long, the rest Double. Not a
  // ternary: mixing long and double there would promote the long to a double.
  private static Number integral(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return n.doubleValue();
    }
    return n.longValue();
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
