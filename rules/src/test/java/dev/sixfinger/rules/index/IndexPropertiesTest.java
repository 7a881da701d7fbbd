package dev.sixfinger.rules.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of updates, clock moves, expiries, queries and lookups give the same answers as
 * a plain map scanned every time; and a subscriber that applies its changes holds the query's
 * answer after every step.
 */
class IndexPropertiesTest {
  private static final long T0 = 1_700_000_000_000_000L;
  private static final long DEFAULT_TTL_MICROS = 60_000_000L;

  private static final List<String> QUERIES =
      List.of(
          "true",
          "host = \"a\"",
          "service = \"cpu\"",
          "host = \"b\" and service = \"mem\"",
          "host = \"a\" and service = \"cpu\" and state = \"ok\"",
          "service =~ \"swap%\"",
          "state = \"critical\"",
          "host = \"a\" and state = \"ok\"",
          "service = \"cpu\" or host = nil",
          "not service = \"mem\"",
          "metric > 1",
          "host = nil and service = \"cpu\"",
          "state = \"expired\"",
          "host =~ \"a%\"",
          "host =~ \"b\" and service =~ \"%m\"",
          "service =~ \"%in\"");

  private static final List<String> SUBSCRIPTIONS =
      List.of(
          "true", "state = \"critical\"", "host = \"a\"", "service =~ \"swap%\"", "metric >= 2");

  sealed interface Op permits Update, Advance, Expire, Ask, Look {}

  /** An event; a null offset means the event has no time (the index uses its clock). */
  record Update(
      String host, String service, String state, Float ttl, Long offsetMicros, long metric)
      implements Op {}

  record Advance(long micros) implements Op {}

  record Expire() implements Op {}

  record Ask(String query) implements Op {}

  record Look(String host, String service) implements Op {}

  @Property(tries = 400)
  void behavesLikeAPlainMapScannedEachTime(@ForAll("operations") List<Op> ops) {
    ManualClock clock = new ManualClock(T0);
    Model model = new Model();
    try (Index index =
        new Index(clock, Duration.ofNanos(DEFAULT_TTL_MICROS * 1000), 100_000, Runnable::run)) {
      Map<Query, Map<List<String>, Event>> views = new LinkedHashMap<>();
      for (String text : SUBSCRIPTIONS) {
        Map<List<String>, Event> view = new HashMap<>();
        views.put(Query.parse(text), view);
        index.subscribe(Query.parse(text), change -> apply(view, change));
      }

      for (Op op : ops) {
        if (op instanceof Update u) {
          Event e = event(u, clock.nowMicros());
          index.update(e);
          model.update(e, clock.nowMicros());
        } else if (op instanceof Advance a) {
          clock.advanceMicros(a.micros());
        } else if (op instanceof Expire) {
          assertThat(index.expire()).as("expire()").isEqualTo(model.expire(clock.nowMicros()));
        } else if (op instanceof Ask ask) {
          Query q = Query.parse(ask.query());
          assertThat(index.query(q)).as(ask.query()).isEqualTo(model.query(q));
        } else if (op instanceof Look look) {
          assertThat(index.lookup(look.host(), look.service()))
              .isEqualTo(model.lookup(look.host(), look.service()));
        }
        assertThat(index.size()).isEqualTo(model.size());
        views.forEach(
            (q, view) -> {
              List<Event> held = new ArrayList<>(view.values());
              held.sort(Index.ORDER);
              assertThat(held).as("the view of subscriber '%s'", q).isEqualTo(model.query(q));
            });
      }
    }
  }

  private static void apply(Map<List<String>, Event> view, Change change) {
    List<String> key = Arrays.asList(change.event().host(), change.event().service());
    switch (change.kind()) {
      case UPDATE -> view.put(key, change.event());
      case REMOVE, EXPIRE -> view.remove(key);
    }
  }

  private static Event event(Update u, long now) {
    return Event.builder()
        .host(u.host())
        .service(u.service())
        .state(u.state())
        .metric(u.metric())
        .ttl(u.ttl())
        .timeMicros(u.offsetMicros() == null ? null : now + u.offsetMicros())
        .build();
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<String> hosts = Arbitraries.of("a", "ab", "b", "c").injectNull(0.15);
    Arbitrary<String> services = Arbitraries.of("cpu", "mem", "swap/in").injectNull(0.15);
    Arbitrary<String> states = Arbitraries.of("ok", "critical", "expired").injectNull(0.1);
    Arbitrary<Float> ttls =
        Arbitraries.of(0f, 0.5f, 1f, 5f, 30f, -1f, Float.NaN, Float.POSITIVE_INFINITY)
            .injectNull(0.3);
    // Quarter seconds, so that deadlines often tie.
    Arbitrary<Long> offsets =
        Arbitraries.longs().between(-360, 40).map(q -> q * 250_000L).injectNull(0.2);
    Arbitrary<Long> metrics = Arbitraries.longs().between(0, 3);
    Arbitrary<Op> update =
        Combinators.combine(hosts, services, states, ttls, offsets, metrics).as(Update::new);
    Arbitrary<Op> advance =
        Arbitraries.longs().between(0, 80).map(q -> (Op) new Advance(q * 250_000L));
    Arbitrary<Op> ask = Arbitraries.of(QUERIES).map(Ask::new);
    Arbitrary<Op> look = Combinators.combine(hosts, services).as(Look::new);
    return Arbitraries.frequencyOf(
            Tuple.of(8, update),
            Tuple.of(3, advance),
            Tuple.of(2, Arbitraries.just(new Expire())),
            Tuple.of(2, ask),
            Tuple.of(1, look))
        .list()
        .ofMinSize(1)
        .ofMaxSize(80);
  }

  /** The reference: a plain map, scanned for every question. */
  private static final class Model {
    private record Stored(Event event, long deadline) {}

    private final Map<List<String>, Stored> entries = new HashMap<>();

    void update(Event e, long now) {
      List<String> key = Arrays.asList(e.host(), e.service());
      if ("expired".equals(e.state())) {
        entries.remove(key);
      } else {
        entries.put(key, new Stored(e, deadline(e, now)));
      }
    }

    private static long deadline(Event e, long now) {
      long time = e.timeMicros() == null ? now : e.timeMicros();
      Float ttl = e.ttl();
      if (ttl == null || ttl.isNaN()) {
        return time + DEFAULT_TTL_MICROS;
      }
      if (ttl.isInfinite()) {
        return Long.MAX_VALUE;
      }
      return time + Math.round(ttl.doubleValue() * 1e6);
    }

    List<Event> expire(long now) {
      List<Stored> due = new ArrayList<>();
      for (Iterator<Stored> it = entries.values().iterator(); it.hasNext(); ) {
        Stored s = it.next();
        if (s.deadline() < now) {
          due.add(s);
          it.remove();
        }
      }
      due.sort(
          Comparator.comparingLong(Stored::deadline).thenComparing(Stored::event, Index.ORDER));
      return due.stream()
          .map(s -> s.event().toBuilder().state("expired").timeMicros(s.deadline()).build())
          .toList();
    }

    List<Event> query(Query q) {
      List<Event> out = new ArrayList<>();
      for (Stored s : entries.values()) {
        if (q.matches(s.event())) {
          out.add(s.event());
        }
      }
      out.sort(Index.ORDER);
      return out;
    }

    Optional<Event> lookup(String host, String service) {
      return Optional.ofNullable(entries.get(Arrays.asList(host, service))).map(Stored::event);
    }

    int size() {
      return entries.size();
    }
  }
}
