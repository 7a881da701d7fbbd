package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Riemann's folds ({@code riemann.folds}, the friendly variants): functions from a list of events
 * to an event. Null events in the list are ignored; a fold of an empty list is null, except {@link
 * #count}.
 *
 * <p>Which fields the result keeps, as in Riemann: {@link #sum}, {@link #mean} and {@link #count}
 * return the <em>first</em> (non-null) event with the metric replaced; {@link #min} and {@link
 * #max} return the extreme event itself (the <em>last</em> of several equal ones); {@link
 * #quantiles} returns the events at the ranks, with the service suffixed.
 *
 * <p>Metrics: a sum of integers is an integer (a double if it overflows); anything else is a
 * double. NaN counts as a metric.
 */
public final class Folds {
  private Folds() {}

  /**
   * The first event with its metric set to the sum of all metrics; 0 if none has a metric. Null for
   * an empty list.
   */
  public static Event sum(List<Event> events) {
    Event first = firstNonNull(events);
    if (first == null) {
      return null;
    }
    Number sum = 0L;
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        sum = add(sum, e.metric());
      }
    }
    return withMetric(first, sum);
  }

  /** The first event with its metric set to the mean of the metrics; null if none has one. */
  public static Event mean(List<Event> events) {
    Event first = firstNonNull(events);
    if (first == null) {
      return null;
    }
    double sum = 0;
    int n = 0;
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        sum += e.metricAsDouble();
        n++;
      }
    }
    return n == 0 ? null : withMetric(first, sum / n);
  }

  /** The event with the smallest metric (the last of equals); null if none has a metric. */
  public static Event min(List<Event> events) {
    Event best = null;
    double bestMetric = 0;
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        // The best metric is kept unboxed: windows fold over every event again for each event.
        double m = e.metricAsDouble();
        if (best == null || Double.compare(m, bestMetric) <= 0) {
          best = e;
          bestMetric = m;
        }
      }
    }
    return best;
  }

  /** The event with the largest metric (the last of equals); null if none has a metric. */
  public static Event max(List<Event> events) {
    Event best = null;
    double bestMetric = 0;
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        // The best metric is kept unboxed: windows fold over every event again for each event.
        double m = e.metricAsDouble();
        if (best == null || Double.compare(m, bestMetric) >= 0) {
          best = e;
          bestMetric = m;
        }
      }
    }
    return best;
  }

  /**
   * The first event with its metric set to the number of (non-null) events; for an empty list, an
   * event with only the metric 0, as in Riemann.
   */
  public static Event count(List<Event> events) {
    Event first = null;
    long n = 0;
    for (Event e : events) {
      if (e != null) {
        if (first == null) {
          first = e;
        }
        n++;
      }
    }
    return first == null ? Event.builder().metric(0L).build() : withMetric(first, n);
  }

  /**
   * Riemann's {@code sorted-sample}: the events with a metric sorted by metric, taken at each point
   * p (0 the smallest, 1 the largest; rank {@code min(n - 1, floor(n * p))}), each with {@code " "
   * + p} appended to its service, e.g. {@code "api latency 0.99"} (1.0 written {@code 1}, as
   * Riemann users write it). Empty if no event has a metric.
   */
  public static List<Event> quantiles(List<Event> events, List<Double> points) {
    List<Event> sorted = new ArrayList<>();
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        sorted.add(e);
      }
    }
    List<Event> out = new ArrayList<>(points.size());
    if (sorted.isEmpty()) {
      return out;
    }
    sorted.sort(Comparator.comparingDouble(Event::metricAsDouble));
    int n = sorted.size();
    for (double p : points) {
      int idx = (int) Math.min(n - 1, Math.floor(n * p));
      Event e = sorted.get(Math.max(0, idx));
      String service = e.service() == null ? "" : e.service();
      out.add(e.toBuilder().service(service + " " + pointName(p)).build());
    }
    return out;
  }

  /** A point as Riemann users write it: {@code 0.99}, {@code 0.5}, {@code 1}, {@code 0}. */
  static String pointName(double p) {
    return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
  }

  /** The median event by metric ({@code quantiles} at 0.5, without renaming); null if none. */
  public static Event median(List<Event> events) {
    List<Event> sorted = new ArrayList<>();
    for (Event e : events) {
      if (e != null && e.metric() != null) {
        sorted.add(e);
      }
    }
    if (sorted.isEmpty()) {
      return null;
    }
    sorted.sort(Comparator.comparingDouble(Event::metricAsDouble));
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() / 2));
  }

  static Number add(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      long r = x + y;
      // Overflow iff both operands have the sign opposite to the result's.
      if (((x ^ r) & (y ^ r)) < 0) {
        return (double) x + (double) y;
      }
      return r;
    }
    return a.doubleValue() + b.doubleValue();
  }

  private static Event firstNonNull(List<Event> events) {
    for (Event e : events) {
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  static Event withMetric(Event e, Number metric) {
    return new Event(
        e.host(),
        e.service(),
        e.state(),
        e.description(),
        metric,
        e.tags(),
        e.attributes(),
        e.timeMicros(),
        e.ttl());
  }
}
