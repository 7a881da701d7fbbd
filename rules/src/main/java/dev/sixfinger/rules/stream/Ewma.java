package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A time-weighted exponential moving average (Riemann's {@code ewma}): passes each event on with
 * its metric replaced by the mean of all metrics so far, each weighted by 0.5^(age / halflife), age
 * measured in event time from the latest event. Events without a metric pass unchanged.
 *
 * <p>Deviation: Riemann adds each new metric with a fixed weight (1 − r) and does not normalise, so
 * its output for a constant input depends on the event rate and starts at (1 − r)·metric. This is
 * the normalised (bias-corrected) form: the first event gives its own metric, a constant input
 * gives that constant, and with regular samples it converges to the classic EWMA. A late event is
 * weighted by its age. Events without a time count as happening at the context's time.
 */
final class Ewma implements Stream, Stateful, HasChildren {
  private final StreamContext ctx;
  private final double halflifeMicros;
  private final Stream child;
  // The average is weightedSum / totalWeight, both decayed to referenceTime.
  private double weightedSum;
  private double totalWeight;
  private long referenceTime = Long.MIN_VALUE;

  Ewma(StreamContext ctx, long halflifeMicros, Stream child) {
    this.ctx = ctx;
    this.halflifeMicros = halflifeMicros;
    this.child = child;
  }

  @Override
  public void accept(Event event) {
    if (event.metric() == null) {
      child.accept(event);
      return;
    }
    long t = event.timeMicros() != null ? event.timeMicros() : ctx.nowMicros();
    double m = event.metricAsDouble();
    if (totalWeight == 0) {
      weightedSum = m;
      totalWeight = 1;
      referenceTime = t;
    } else if (t >= referenceTime) {
      double decay = Math.pow(0.5, (t - referenceTime) / halflifeMicros);
      weightedSum = weightedSum * decay + m;
      totalWeight = totalWeight * decay + 1;
      referenceTime = t;
    } else {
      double w = Math.pow(0.5, (referenceTime - t) / halflifeMicros);
      weightedSum += m * w;
      totalWeight += w;
    }
    child.accept(Folds.withMetric(event, weightedSum / totalWeight));
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("weightedSum", weightedSum);
    s.put("totalWeight", totalWeight);
    s.put("referenceTime", referenceTime);
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = State.map(state, "ewma");
    weightedSum = State.getDouble(s, "weightedSum", "ewma");
    totalWeight = State.getDouble(s, "totalWeight", "ewma");
    referenceTime = State.getLong(s, "referenceTime", "ewma");
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
