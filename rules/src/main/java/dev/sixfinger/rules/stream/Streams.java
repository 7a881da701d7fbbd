package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds stream stages with Riemann's semantics, bound to one {@link StreamContext} (the time and
 * timers of the stages it builds). Children are passed in, so a rule reads inside out, as in
 * Riemann:
 *
 * <pre>{@code
 * Streams s = new Streams(new StreamContext(clock.nowMicros()));
 * Stream rule =
 *     s.where(Query.parse("service = \"swap/in-rate\""),
 *         s.by(List.of("host"),
 *             f -> f.stable(Duration.ofMinutes(5), e -> e.metricAsDouble() > 100, alert)));
 * }</pre>
 *
 * <p>{@code by} takes a function from a {@code Streams} to the fork's stream: it builds each fork
 * with a {@code Streams} on the fork's own scope, so freeing the fork cancels its timers. A stage
 * has one child; {@link #all} fans out to several. Event-time stages (time windows, stable, ewma,
 * ddt) read {@code Event.timeMicros()}; clock stages (throttle, rollup, coalesce, rate,
 * percentiles, expiry, fork expiry) read the context's time. See each method for deviations from
 * Riemann.
 */
public final class Streams {
  private static final List<String> HOST_AND_SERVICE = List.of("host", "service");
  private final StreamContext ctx;

  public Streams(StreamContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  public StreamContext context() {
    return ctx;
  }

  // ---- Routing ----

  /** Passes events matching the query to {@code then}. */
  public Stream where(Query query, Stream then) {
    return where(query, then, null);
  }

  /** Passes events matching the query to {@code then}, the others to {@code otherwise}. */
  public Stream where(Query query, Stream then, Stream otherwise) {
    Objects.requireNonNull(query, "query");
    return new Where(query::matches, child(then), otherwise);
  }

  public Stream where(Predicate<Event> test, Stream then) {
    return where(test, then, null);
  }

  public Stream where(Predicate<Event> test, Stream then, Stream otherwise) {
    return new Where(Objects.requireNonNull(test, "test"), child(then), otherwise);
  }

  /** Each event goes to the first branch whose test matches; unmatched events are dropped. */
  public Stream split(List<Branch> branches) {
    return split(branches, null);
  }

  /** Each event goes to the first branch whose test matches, else to {@code otherwise}. */
  public Stream split(List<Branch> branches, Stream otherwise) {
    return new Split(List.copyOf(branches), otherwise);
  }

  /**
   * One fork per distinct value of the fields ({@code host}, {@code service}, {@code state}, {@code
   * description}, {@code metric}, {@code ttl}, {@code time} in µs, {@code tags}, or else an
   * attribute name), freed as {@link ForkExpiry#DEFAULT} says: after an hour without events for the
   * key, or right after an event with state {@code expired} has passed through.
   */
  public Stream by(List<String> fields, Function<Streams, Stream> fork) {
    return by(fields, ForkExpiry.DEFAULT, fork);
  }

  public Stream by(List<String> fields, ForkExpiry expiry, Function<Streams, Stream> fork) {
    return byKey(EventFields.key(List.copyOf(fields)), expiry, fork);
  }

  /**
   * One fork per distinct {@code key(event)} (compared with {@code equals}; null is a key). For
   * snapshots, keys should be strings, numbers or lists of them.
   */
  public Stream byKey(Function<Event, ?> key, ForkExpiry expiry, Function<Streams, Stream> fork) {
    return new By(
        ctx,
        Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(expiry, "expiry"),
        Objects.requireNonNull(fork, "fork"));
  }

  /** Every event to every child, in order; a child that throws is logged and skipped. */
  public Stream all(Stream... children) {
    for (Stream c : children) {
      child(c);
    }
    return children.length == 1 ? children[0] : new All(children);
  }

  /** Every list to every child, in order. */
  public BatchStream allBatches(BatchStream... children) {
    for (BatchStream c : children) {
      Objects.requireNonNull(c, "child");
    }
    return children.length == 1 ? children[0] : new AllBatches(children);
  }

  /** Passes each event of a list on, in order. */
  public BatchStream each(Stream child) {
    return new Each(child(child));
  }

  // ---- Changes and stability ----

  /** Passes an event when the field's value differs from the previous event's (first: vs null). */
  public Stream changed(String field, Stream child) {
    return changed(field, null, child);
  }

  public Stream changed(String field, Object init, Stream child) {
    return changed(EventFields.getter(field), init, child);
  }

  /** Passes an event when {@code f(event)} differs from its value for the previous event. */
  public Stream changed(Function<Event, ?> f, Object init, Stream child) {
    return new Changed(Objects.requireNonNull(f, "f"), init, child(child));
  }

  /** Riemann's {@code changed-state}: {@code changed("state")} per host and service. */
  public Stream changedState(Stream child) {
    return changedState(null, child);
  }

  /**
   * {@code changed("state", init)} in a {@code by} host and service ({@link ForkExpiry#DEFAULT}).
   */
  public Stream changedState(String init, Stream child) {
    Stream shared = child(child);
    return by(HOST_AND_SERVICE, f -> f.changed("state", init, shared));
  }

  /**
   * Passes events once {@code f(event)} has held one value for {@code dt} of event time, first the
   * events buffered while waiting, then each further event until the value changes.
   */
  public Stream stable(Duration dt, Function<Event, ?> f, Stream child) {
    return new Stable(
        ctx, Micros.positive(dt, "stable duration"), Objects.requireNonNull(f, "f"), child(child));
  }

  public Stream stable(Duration dt, String field, Stream child) {
    return stable(dt, EventFields.getter(field), child);
  }

  // ---- Rate limiting ----

  /** At most {@code n} events per {@code dt} of context time; the rest are dropped. */
  public Stream throttle(int n, Duration dt, Stream child) {
    return new Throttle(ctx, n, Micros.positive(dt, "throttle period"), child(child));
  }

  /**
   * The first {@code n} events per {@code dt} go on at once as one-event lists; the rest go on as
   * one list at the end of the window.
   */
  public Stream rollup(int n, Duration dt, BatchStream child) {
    return new Rollup(ctx, n, Micros.positive(dt, "rollup period"), batch(child));
  }

  // ---- Windows ----

  /** Latest event per host and service, all of them as one list every {@code dt}. */
  public Stream coalesce(Duration dt, BatchStream child) {
    return coalesce(dt, HOST_AND_SERVICE, child);
  }

  /** Latest event per value of the key fields, all of them as one list every {@code dt}. */
  public Stream coalesce(Duration dt, List<String> keyFields, BatchStream child) {
    return new Coalesce(
        ctx,
        Micros.positive(dt, "coalesce period"),
        EventFields.key(List.copyOf(keyFields)),
        batch(child));
  }

  /** On each event, the events within {@code dt} of the latest event time. */
  public Stream movingTimeWindow(Duration dt, BatchStream child) {
    return new MovingTimeWindow(ctx, Micros.positive(dt, "window length"), batch(child));
  }

  /** Non-overlapping windows of {@code dt} of event time. */
  public Stream fixedTimeWindow(Duration dt, BatchStream child) {
    return new FixedTimeWindow(Micros.positive(dt, "window length"), batch(child));
  }

  /** On each event, the last {@code n} events. */
  public Stream movingEventWindow(int n, BatchStream child) {
    return new MovingEventWindow(n, batch(child));
  }

  /** Every {@code n} events, those {@code n} events. */
  public Stream fixedEventWindow(int n, BatchStream child) {
    return new FixedEventWindow(n, batch(child));
  }

  // ---- Arithmetic over time ----

  /** Every {@code interval}, the sum of the metrics received in it per second. */
  public Stream rate(Duration interval, Stream child) {
    return new Rate(ctx, Micros.positive(interval, "rate interval"), child(child));
  }

  /**
   * Every {@code interval}, one event per point (0 to 1) with the metric at that rank and the point
   * appended to the service, e.g. {@code "api latency 0.99"}.
   */
  public Stream percentiles(Duration interval, List<Double> points, Stream child) {
    return new Percentiles(
        ctx, Micros.positive(interval, "percentiles interval"), points, child(child));
  }

  /** Each event with its metric replaced by a time-weighted moving average. */
  public Stream ewma(Duration halflife, Stream child) {
    return new Ewma(ctx, Micros.positive(halflife, "ewma half-life"), child(child));
  }

  /** Each event with its metric replaced by r·metric + (1 − r)·previous average. */
  public Stream ewmaTimeless(double r, Stream child) {
    return new EwmaTimeless(r, child(child));
  }

  /** Each event (after the first) with its metric replaced by its rate of change per second. */
  public Stream ddt(Stream child) {
    return new Ddt(ctx, child(child));
  }

  /** Running total of metrics, from 0; an event tagged {@code reset} sets it. */
  public Stream counter(Stream child) {
    return counter(0L, child);
  }

  public Stream counter(Number initial, Stream child) {
    return new Counter(Objects.requireNonNull(initial, "initial"), child(child));
  }

  // ---- Changing events ----

  /**
   * Sets fields (null removes one). Names: host, service, state, description, metric, ttl
   * (seconds), time (Unix seconds), tags (a list); anything else is an attribute.
   */
  public Stream with(Map<String, ?> fields, Stream child) {
    return new SetFields(fields, false, child(child));
  }

  public Stream with(String field, Object value, Stream child) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(field, value);
    return with(fields, child);
  }

  /** Riemann's {@code default}: sets only the fields that are missing. */
  public Stream defaults(Map<String, ?> fields, Stream child) {
    return new SetFields(fields, true, child(child));
  }

  public Stream defaults(String field, Object value, Stream child) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(field, value);
    return defaults(fields, child);
  }

  /** Adds tags: the given ones first, then the event's own, without duplicates. */
  public Stream tag(List<String> tags, Stream child) {
    return new Tag(tags, child(child));
  }

  public Stream tag(String tag, Stream child) {
    return tag(List.of(tag), child);
  }

  /** Passes on {@code f(event)} when it is not null. */
  public Stream smap(Function<Event, Event> f, Stream child) {
    return new Smap(Objects.requireNonNull(f, "f"), child(child));
  }

  // ---- Expiry ----

  /**
   * Passes expired events: state {@code expired}, or older than their TTL (60 s if none) at the
   * context's time. Deviation: Riemann's {@code expired} stream checks the state only; this uses
   * Riemann's {@code expired?} so that {@link #expired} and {@link #notExpired} partition a stream.
   */
  public Stream expired(Stream child) {
    return new ExpiredFilter(ctx, true, child(child));
  }

  /** Passes the events that {@link #expired} does not. */
  public Stream notExpired(Stream child) {
    return new ExpiredFilter(ctx, false, child(child));
  }

  // ---- Folds over lists (see Folds for which fields the result keeps) ----

  /** Applies {@code fold} to each list and passes a non-null result on. */
  public BatchStream fold(Function<List<Event>, Event> fold, Stream child) {
    return new Fold(Objects.requireNonNull(fold, "fold"), child(child));
  }

  public BatchStream sum(Stream child) {
    return fold(Folds::sum, child);
  }

  public BatchStream mean(Stream child) {
    return fold(Folds::mean, child);
  }

  public BatchStream min(Stream child) {
    return fold(Folds::min, child);
  }

  public BatchStream max(Stream child) {
    return fold(Folds::max, child);
  }

  public BatchStream count(Stream child) {
    return fold(Folds::count, child);
  }

  /** For each list, the events at the given quantiles ({@link Folds#quantiles}), one by one. */
  public BatchStream quantiles(List<Double> points, Stream child) {
    return new QuantilesFold(points, child(child));
  }

  private static Stream child(Stream child) {
    return Objects.requireNonNull(child, "child stream");
  }

  private static BatchStream batch(BatchStream child) {
    return Objects.requireNonNull(child, "child batch stream");
  }
}
