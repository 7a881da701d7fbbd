package dev.sixfinger.rules.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IndexTest {
  private static final long T0 = 1_700_000_000_000_000L;

  private final ManualClock clock = new ManualClock(T0);
  // Direct delivery: subscribers run on the test's thread, so every assertion is deterministic.
  private final Index index = new Index(clock, Index.DEFAULT_TTL, 100, Runnable::run);

  @AfterEach
  void close() {
    index.close();
  }

  /** An event stamped with the clock's current time. */
  private Event event(String host, String service, String state, Float ttl) {
    return Event.builder()
        .host(host)
        .service(service)
        .state(state)
        .metric(1L)
        .timeMicros(clock.nowMicros())
        .ttl(ttl)
        .build();
  }

  private static List<String> keys(List<Event> events) {
    return events.stream().map(e -> e.host() + "/" + e.service()).toList();
  }

  @Test
  void keepsTheLatestEventPerHostAndService() {
    index.update(event("a", "cpu", "ok", 10f));
    index.update(event("a", "mem", "ok", 10f));
    index.update(event("a", "cpu", "critical", 10f));

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.lookup("a", "cpu")).map(Event::state).contains("critical");
    assertThat(index.lookup("a", "disk")).isEmpty();
    assertThat(index.lookup("b", "cpu")).isEmpty();
  }

  @Test
  void nilHostAndServiceAreKeysLikeAnyOther() {
    index.update(event(null, "cpu", "ok", 10f));
    index.update(event("a", null, "ok", 10f));
    index.update(event(null, null, "ok", 10f));

    assertThat(index.size()).isEqualTo(3);
    assertThat(index.lookup(null, null)).isPresent();
    assertThat(keys(index.query(Query.parse("true"))))
        .containsExactly("null/null", "null/cpu", "a/null");
    assertThat(keys(index.query(Query.parse("host = nil"))))
        .containsExactly("null/null", "null/cpu");
  }

  @Test
  void expiresInDeadlineOrderWithStateExpiredAndTheDeadlineAsTime() {
    index.update(event("a", "slow", "ok", 30f));
    index.update(event("a", "fast", "ok", 5f));
    index.update(event("b", "fast", "ok", 5f));
    index.update(event("a", "mid", "ok", 10f));

    clock.advanceSeconds(4.999);
    assertThat(index.expire()).isEmpty();
    clock.advanceSeconds(10);
    List<Event> gone = index.expire();

    assertThat(keys(gone)).containsExactly("a/fast", "b/fast", "a/mid");
    assertThat(gone).allSatisfy(e -> assertThat(e.state()).isEqualTo("expired"));
    assertThat(gone.get(0).timeMicros()).isEqualTo(T0 + 5_000_000);
    assertThat(gone.get(2).timeMicros()).isEqualTo(T0 + 10_000_000);
    assertThat(gone.get(0).metric()).as("the rest of the event is kept").isEqualTo(1L);
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.expiredCount()).isEqualTo(3);
  }

  @Test
  void dueOnceTheClockIsPastTheDeadlineAsInRiemann() {
    index.update(event("a", "cpu", "ok", 1f));
    clock.advanceMicros(1_000_000);
    assertThat(index.expire()).as("at the deadline").isEmpty();
    clock.advanceMicros(1);
    assertThat(index.expire()).hasSize(1);
  }

  @Test
  void aReplacementPushesTheDeadlineBack() {
    index.update(event("a", "cpu", "ok", 10f));
    clock.advanceSeconds(8);
    index.update(event("a", "cpu", "ok", 10f));

    clock.advanceSeconds(9); // 17 s: past the first deadline, not the second
    assertThat(index.expire()).isEmpty();
    assertThat(index.lookup("a", "cpu")).isPresent();

    clock.advanceSeconds(1.5);
    assertThat(index.expire())
        .singleElement()
        .satisfies(e -> assertThat(e.timeMicros()).isEqualTo(T0 + 18_000_000));
    assertThat(index.size()).isZero();
  }

  @Test
  void aRefreshedEntryStillExpiresInDeadlineOrderWhenBothDeadlinesHavePassed() {
    index.update(event("a", "cpu", "ok", 1f)); // queued for T0 + 1 s
    index.update(event("b", "cpu", "ok", 2f)); // T0 + 2 s
    index.update(event("a", "cpu", "ok", 3f)); // now T0 + 3 s, still queued for T0 + 1 s

    clock.advanceSeconds(10);
    assertThat(index.expire())
        .extracting(e -> e.host() + "@" + (e.timeMicros() - T0) / 1_000_000)
        .containsExactly("b@2", "a@3");
  }

  @Test
  void aReplacementWithAShorterTtlBringsTheDeadlineForward() {
    index.update(event("a", "cpu", "ok", 60f));
    index.update(event("a", "cpu", "ok", 2f));

    clock.advanceSeconds(2.5);
    assertThat(keys(index.expire())).containsExactly("a/cpu");
    clock.advanceSeconds(60);
    assertThat(index.expire()).as("the stale item of the first deadline is dropped").isEmpty();
  }

  @Test
  void defaultTtlAppliesToEventsWithoutOne() {
    index.update(event("a", "cpu", "ok", null));
    index.update(event("a", "nan", "ok", Float.NaN));
    clock.advanceSeconds(60);
    assertThat(index.expire()).isEmpty();
    clock.advanceMicros(1);
    assertThat(keys(index.expire())).containsExactly("a/cpu", "a/nan");
  }

  @Test
  void theDefaultTtlIsConfigurable() {
    try (Index short5 = new Index(clock, Duration.ofSeconds(5), 10, Runnable::run)) {
      short5.update(event("a", "cpu", "ok", null));
      clock.advanceSeconds(5.5);
      assertThat(short5.expire()).hasSize(1);
    }
  }

  @Test
  void anEventWithoutATimeUsesTheClock() {
    clock.advanceSeconds(100);
    index.update(Event.builder().host("a").service("cpu").ttl(3f).build());
    clock.advanceSeconds(3.5);
    assertThat(index.expire())
        .singleElement()
        .satisfies(e -> assertThat(e.timeMicros()).isEqualTo(T0 + 103_000_000));
  }

  @Test
  void anEventAlreadyPastItsDeadlineIsIndexedAndExpiresOnTheNextExpire() {
    Event old = event("a", "cpu", "ok", 10f).toBuilder().timeMicros(T0 - 60_000_000).build();
    index.update(old);
    assertThat(index.lookup("a", "cpu")).contains(old);

    assertThat(index.expire())
        .singleElement()
        .satisfies(e -> assertThat(e.timeMicros()).isEqualTo(T0 - 50_000_000));
  }

  @Test
  void anInfiniteTtlNeverExpires() {
    index.update(event("a", "cpu", "ok", Float.POSITIVE_INFINITY));
    index.update(event("a", "huge", "ok", Float.MAX_VALUE));
    clock.advanceSeconds(1e9);
    assertThat(index.expire()).isEmpty();
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void anInfiniteTtlCancelsAnEarlierDeadline() {
    index.update(event("a", "cpu", "ok", 1f));
    index.update(event("a", "cpu", "ok", Float.POSITIVE_INFINITY));
    clock.advanceSeconds(10);
    assertThat(index.expire()).isEmpty();
    index.update(event("a", "cpu", "ok", 1f));
    clock.advanceSeconds(1.5);
    assertThat(index.expire()).hasSize(1);
  }

  @Test
  void anExpiredEventRemovesTheEntryAndItsDeadline() {
    index.update(event("a", "cpu", "ok", 5f));
    index.update(event("a", "cpu", "expired", null));

    assertThat(index.size()).isZero();
    assertThat(index.query(Query.parse("host = \"a\""))).isEmpty();
    clock.advanceSeconds(10);
    assertThat(index.expire()).isEmpty();
    assertThat(index.expiredCount()).as("only expire() counts").isZero();
  }

  @Test
  void anEntryRemovedAndAddedAgainKeepsOnlyItsNewDeadline() {
    index.update(event("a", "cpu", "ok", 5f));
    index.update(event("a", "cpu", "expired", null));
    index.update(event("a", "cpu", "ok", 20f));
    clock.advanceSeconds(5);
    assertThat(index.expire()).isEmpty();
    clock.advanceSeconds(15.5);
    assertThat(index.expire()).hasSize(1);
  }

  @Test
  void choosesLookupSecondaryIndexOrScan() {
    assertThat(access("host = \"a\" and service = \"b\"")).isEqualTo(Index.Access.LOOKUP);
    assertThat(access("service = \"b\" and metric > 1 and host = \"a\""))
        .isEqualTo(Index.Access.LOOKUP);
    assertThat(access("host = \"a\" and state = \"ok\"")).isEqualTo(Index.Access.HOST_INDEX);
    assertThat(access("service = \"b\"")).isEqualTo(Index.Access.SERVICE_INDEX);
    assertThat(access("service = \"b\" and host =~ \"a%\"")).isEqualTo(Index.Access.SERVICE_INDEX);
    assertThat(access("host =~ \"web-%\" and state = \"ok\"")).isEqualTo(Index.Access.HOST_PREFIX);
    assertThat(access("service =~ \"swap%\"")).isEqualTo(Index.Access.SERVICE_PREFIX);
    assertThat(access("service =~ \"cpu\"")).isEqualTo(Index.Access.SERVICE_PREFIX);
    assertThat(access("service =~ \"%swap\"")).isEqualTo(Index.Access.SCAN);
    assertThat(access("host = \"a\" or service = \"b\"")).isEqualTo(Index.Access.SCAN);
    assertThat(access("not host = \"a\"")).isEqualTo(Index.Access.SCAN);
    assertThat(access("host = nil")).isEqualTo(Index.Access.SCAN);
  }

  private static Index.Access access(String query) {
    return Index.access(Query.parse(query));
  }

  @Test
  void indexedQueriesAnswerLikeScans() {
    for (String host : List.of("a", "b", "c", "ab")) {
      for (String service : List.of("cpu", "mem", "swap/in", "swap/out", "swap")) {
        index.update(event(host, service, host.equals("b") ? "critical" : "ok", 10f));
      }
    }
    index.update(event("b", "cpu", "expired", null));
    index.update(event(null, "swap/in", "ok", 10f));

    List<String> queries =
        List.of(
            "host = \"b\"",
            "service = \"cpu\"",
            "host = \"a\" and service = \"mem\"",
            "service = \"swap/in\" and state = \"critical\"",
            "host = \"zz\"",
            "host = \"b\" and service = \"cpu\"",
            "host =~ \"a%\"",
            "host =~ \"a\"",
            "service =~ \"swap%\"",
            "service =~ \"swap/%t\" and host =~ \"%b\"",
            "service =~ \"swap\"",
            "service =~ \"zzz%\"");
    for (String text : queries) {
      Query indexed = Query.parse(text);
      // "or false" changes no answer, but makes a query that only a scan can answer.
      Query scanned = Query.parse("(" + text + ") or false");
      assertThat(Index.access(indexed)).as(text).isNotEqualTo(Index.Access.SCAN);
      assertThat(Index.access(scanned)).isEqualTo(Index.Access.SCAN);
      assertThat(index.query(indexed)).as(text).isEqualTo(index.query(scanned));
    }
    assertThat(keys(index.query(Query.parse("host = \"b\""))))
        .containsExactly("b/mem", "b/swap", "b/swap/in", "b/swap/out");
    assertThat(keys(index.query(Query.parse("host =~ \"a%\" and service =~ \"swap/%\""))))
        .containsExactly("a/swap/in", "a/swap/out", "ab/swap/in", "ab/swap/out");
  }

  @Test
  void resultsAreSortedByHostThenService() {
    index.update(event("b", "x", "ok", 10f));
    index.update(event("a", "y", "ok", 10f));
    index.update(event("a", "x", "ok", 10f));
    index.update(event("c", "a", "ok", 10f));
    assertThat(keys(index.query(Query.parse("true")))).containsExactly("a/x", "a/y", "b/x", "c/a");
    assertThat(keys(index.query(Query.parse("service = \"x\"")))).containsExactly("a/x", "b/x");
  }

  @Test
  void aSubscriberGetsTheCurrentEntriesThenEveryChange() {
    index.update(event("a", "swap", "ok", 10f));
    index.update(event("a", "cpu", "ok", 10f));
    index.update(event("b", "swap", "ok", 30f));
    List<Change> changes = new ArrayList<>();

    Subscription s = index.subscribe(Query.parse("service = \"swap\""), changes::add);
    assertThat(changes)
        .extracting(c -> c.kind() + " " + c.event().host())
        .containsExactly("UPDATE a", "UPDATE b");

    changes.clear();
    index.update(event("a", "cpu", "critical", 10f)); // not the subscriber's business
    index.update(event("c", "swap", "warning", 10f));
    clock.advanceSeconds(10.5);
    index.expire();
    index.update(event("b", "swap", "expired", null));
    assertThat(changes)
        .extracting(c -> c.kind() + " " + c.event().host() + " " + c.event().state())
        .containsExactly(
            "UPDATE c warning", "EXPIRE a expired", "EXPIRE c expired", "EXPIRE b expired");
    assertThat(s.isOpen()).isTrue();
  }

  @Test
  void aSubscriberLearnsWhenAnEntryStopsMatching() {
    index.update(event("a", "cpu", "critical", 10f));
    List<Change> changes = new ArrayList<>();
    index.subscribe(Query.parse("state = \"critical\""), changes::add);

    index.update(event("a", "cpu", "ok", 10f)); // leaves the view
    index.update(event("a", "cpu", "ok", 10f)); // was not in it: nothing
    index.update(event("a", "cpu", "critical", 10f)); // back
    clock.advanceSeconds(10.5);
    index.expire(); // the expired event no longer says critical, but the entry did

    assertThat(changes)
        .extracting(c -> c.kind() + " " + c.event().state())
        .containsExactly("UPDATE critical", "REMOVE ok", "UPDATE critical", "EXPIRE expired");
  }

  @Test
  void closingStopsTheChangesAndTellsWhyOnce() {
    List<Change> changes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    Subscription s = index.subscribe(Query.parse("true"), changes::add, reasons::add);
    assertThat(index.subscriptionCount()).isEqualTo(1);

    s.close();
    s.close();
    index.update(event("a", "cpu", "ok", 10f));

    assertThat(changes).isEmpty();
    assertThat(reasons).containsExactly(Subscription.CLOSED_BY_SUBSCRIBER);
    assertThat(s.closeReason()).contains(Subscription.CLOSED_BY_SUBSCRIBER);
    assertThat(index.subscriptionCount()).isZero();
  }

  @Test
  void aSubscriberThatThrowsIsClosed() {
    List<String> reasons = new ArrayList<>();
    Subscription s =
        index.subscribe(
            Query.parse("true"),
            c -> {
              throw new IllegalStateException("boom");
            },
            reasons::add);
    index.update(event("a", "cpu", "ok", 10f));
    index.update(event("a", "cpu", "ok", 10f));

    assertThat(s.isOpen()).isFalse();
    assertThat(reasons).singleElement().asString().contains("failed").contains("boom");
    assertThat(index.size()).as("the writer went on").isEqualTo(1);
  }

  @Test
  void aSubscriberThatFallsBehindIsClosedWithoutHoldingTheWriter() {
    // Deliveries wait in this list until the test runs them: a subscriber that never keeps up.
    List<Runnable> pending = new ArrayList<>();
    try (Index slow = new Index(clock, Index.DEFAULT_TTL, 3, pending::add)) {
      List<Change> changes = new ArrayList<>();
      List<String> reasons = new ArrayList<>();
      Subscription s = slow.subscribe(Query.parse("true"), changes::add, reasons::add);
      for (int i = 0; i < 10; i++) {
        slow.update(event("h" + i, "cpu", "ok", 10f));
      }
      assertThat(slow.size()).isEqualTo(10);
      assertThat(s.isOpen()).isFalse();
      assertThat(s.closeReason()).hasValueSatisfying(r -> assertThat(r).contains("too slow"));

      pending.forEach(Runnable::run);
      assertThat(changes).as("nothing after the close").isEmpty();
      assertThat(reasons).singleElement().asString().contains("3 changes waiting");
    }
  }

  @Test
  void theInitialEntriesDoNotCountAgainstTheQueue() {
    try (Index small = new Index(clock, Index.DEFAULT_TTL, 3, Runnable::run)) {
      for (int i = 0; i < 10; i++) {
        small.update(event("h" + i, "cpu", "ok", 10f));
      }
      List<Change> changes = new ArrayList<>();
      Subscription s = small.subscribe(Query.parse("true"), changes::add);
      assertThat(changes).hasSize(10);
      assertThat(s.isOpen()).isTrue();
    }
  }

  @Test
  void aBlockedSubscriberOnItsOwnThreadDoesNotBlockTheWriter() throws Exception {
    try (Index threaded = new Index(clock, Index.DEFAULT_TTL, 100, null)) {
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<String> reason = new AtomicReference<>();
      threaded.subscribe(
          Query.parse("true"),
          c -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          },
          reason::set);
      for (int i = 0; i < 10_000; i++) {
        threaded.update(event("h" + i, "cpu", "ok", 10f));
      }
      assertThat(threaded.size()).isEqualTo(10_000);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> reason.get() != null);
      assertThat(reason.get()).contains("too slow");
    }
  }

  @Test
  void closingTheIndexClosesItsSubscriptions() {
    List<String> reasons = new ArrayList<>();
    index.subscribe(Query.parse("true"), c -> {}, reasons::add);
    index.close();
    assertThat(reasons).containsExactly("the index is closed");
    Subscription late = index.subscribe(Query.parse("true"), c -> {}, reasons::add);
    assertThat(late.isOpen()).isFalse();
  }

  @Test
  void readersRunWhileTheWriterWrites() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                for (int round = 0; round < 200; round++) {
                  for (int h = 0; h < 50; h++) {
                    String state = round % 2 == 0 ? "ok" : "critical";
                    index.update(event("h" + h, "s" + (round % 7), state, 1f));
                  }
                  clock.advanceSeconds(0.1);
                  index.expire();
                }
                writing.set(false);
              });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  int answers = 0;
                  Query byHost = Query.parse("host = \"h7\" and state = \"critical\"");
                  Query scan = Query.parse("state = \"ok\"");
                  while (writing.get()) {
                    assertThat(index.query(byHost))
                        .allSatisfy(e -> assertThat(byHost.matches(e)).isTrue());
                    assertThat(index.query(scan))
                        .allSatisfy(e -> assertThat(scan.matches(e)).isTrue());
                    index.lookup("h3", "s2").ifPresent(e -> assertThat(e.host()).isEqualTo("h3"));
                    answers++;
                  }
                  return answers;
                }));
      }
      writer.get(30, TimeUnit.SECONDS);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void subscribersOnTheirOwnThreadsSeeEveryChangeInOrder() {
    try (Index threaded = new Index(clock, Index.DEFAULT_TTL, 100_000, null)) {
      threaded.update(event("a", "cpu", "ok", 10f));
      List<Change> seen = new CopyOnWriteArrayList<>();
      threaded.subscribe(Query.parse("host = \"a\""), seen::add);
      for (int i = 0; i < 1000; i++) {
        threaded.update(event("a", "cpu", "ok", 10f).toBuilder().metric((long) i).build());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1001);
      assertThat(seen.subList(1, 1001))
          .extracting(c -> c.event().metric())
          .isEqualTo(LongStream.range(0, 1000).boxed().toList());
    }
  }
}
