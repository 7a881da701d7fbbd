package dev.sixfinger.rules.index;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Expr;
import dev.sixfinger.core.query.Field;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.stream.Expiry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The latest event per (host, service), with ttl expiry, as in Riemann.
 *
 * <p><b>Writes.</b> {@link #update} inserts or replaces the entry of the event's (host, service);
 * an event with state {@code expired} removes it instead. Every entry has a deadline: its event's
 * time (or the clock's time if it has none) plus its ttl (or the default ttl if it has none, or a
 * NaN one). {@link #expire()}, which the owner calls periodically (every second, say), removes the
 * entries whose deadline the clock has passed (strictly, as in Riemann and in {@link
 * Expiry#isExpired}) and returns them as events with state {@code expired} and their deadline as
 * time. Event time, not arrival time, decides: an event that is already past its deadline when it
 * arrives (a replayed one, say) is indexed, and leaves on the next {@code expire()}. A positive
 * infinite ttl never expires. Between two calls to {@code expire()} an entry past its deadline is
 * still found by queries, as in Riemann.
 *
 * <p><b>Expiry without scans.</b> A priority queue holds at most one live item (deadline, entry)
 * per entry, so {@code expire()} only looks at what is due. Replacing an entry does not touch the
 * queue when the deadline moves later (the usual case: a fresh event): the entry's old item comes
 * due, sees the later deadline and is queued again, once per ttl rather than once per update. Only
 * a deadline that moves earlier queues a new item; the old one is then stale and dropped when it
 * comes due (lazy deletion), as is the item of an entry that was removed.
 *
 * <p><b>Queries.</b> {@link #query} answers {@code host = "a" and service = "b"} (possibly with
 * more terms) with one lookup; a query that fixes only the host or only the service with {@code =}
 * (see {@link Query#exactValue}) reads that host's or service's entries from a secondary index
 * (host to keys, service to keys); a query that requires a host or service pattern with a literal
 * start, such as {@code service =~ "swap%"}, reads the range of that index with that prefix;
 * anything else scans. Whatever the access, every candidate is then matched against the whole
 * query. Results are sorted by host, then service (nil first).
 *
 * <p><b>Concurrency: one writer, many readers.</b> {@code update}, {@code expire}, {@code
 * subscribe} and {@code close} are synchronized: one thread (the owner's consumer loop) is meant to
 * call them, so the lock is uncontended, and it also keeps a misbehaving second writer safe.
 * Readers ({@code lookup}, {@code query}, {@code size}) take no lock and never block the writer:
 * entries live in concurrent maps and hold their immutable {@link Event} in a volatile field, so a
 * reader sees each entry as it was before or after a write, never half-made. A query that runs
 * during writes is weakly consistent, like an iteration over a ConcurrentHashMap: each entry is
 * checked once, in one of its states. The deadline queue is only touched under the lock.
 *
 * <p><b>Subscriptions.</b> {@link #subscribe} registers a query under the writer lock, so the
 * subscriber gets the entries matching at that instant and then every later change exactly once
 * (the writer waits for that first query, so subscribing to a huge answer delays writes by as long
 * as the query takes). The writer hands changes to each subscriber's bounded queue without waiting;
 * see {@link Subscription}.
 *
 * <p><b>Memory.</b> No thread or timer per entry. Besides the event itself (shared, not copied), an
 * entry costs about 200 bytes with compressed references: the key (24 B), the entry (32 B), its
 * node in the main map (32 B + table slot), its node in the host and in the service index (2 × 32 B
 * + slots), its item in the deadline queue (24 B + array slot). Measured: 205 B per entry over
 * 1,000,000 entries (50 services per host), so 1M entries of typical agent events (a few hundred
 * bytes each) stay well under 1 GiB of heap.
 */
public final class Index implements AutoCloseable {
  /** Riemann's default ttl. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /** Changes a subscriber may have waiting before its subscription is closed. */
  public static final int DEFAULT_SUBSCRIBER_QUEUE = 10_000;

  /** The state that removes an entry, and the state of the events {@link #expire()} returns. */
  public static final String EXPIRED = Expiry.EXPIRED_STATE;

  /** The deadline of an entry that never expires. */
  private static final long NEVER = Long.MAX_VALUE;

  /** How a query is answered; see {@link #access(Query)}. */
  public enum Access {
    /** Exact host and service: one lookup. */
    LOOKUP,
    /** Exact host: that host's entries. */
    HOST_INDEX,
    /** Exact service: that service's entries. */
    SERVICE_INDEX,
    /** A host pattern with a literal start ({@code host =~ "web-%"}): those hosts' entries. */
    HOST_PREFIX,
    /** A service pattern with a literal start ({@code service =~ "swap%"}): those services'. */
    SERVICE_PREFIX,
    /** Every entry. */
    SCAN
  }

  private static final Comparator<String> NIL_FIRST =
      Comparator.nullsFirst(Comparator.<String>naturalOrder());

  /** The order of query results: host, then service. */
  public static final Comparator<Event> ORDER = Index::compareHostService;

  // By hand rather than composed comparators: sorting large answers is most of a query's time.
  private static int compareHostService(Event a, Event b) {
    int c = compareNilFirst(a.host(), b.host());
    return c != 0 ? c : compareNilFirst(a.service(), b.service());
  }

  private static int compareNilFirst(String a, String b) {
    if (a == b) {
      return 0;
    }
    if (a == null) {
      return -1;
    }
    return b == null ? 1 : a.compareTo(b);
  }

  private static final Comparator<Key> KEY_ORDER =
      Comparator.comparing(Key::host, NIL_FIRST).thenComparing(Key::service, NIL_FIRST);

  /** Earliest deadline first; ties in key order, so that expiry is deterministic. */
  private static final Comparator<Due> DUE_ORDER =
      Comparator.comparingLong(Due::deadline).thenComparing(d -> d.entry().key, KEY_ORDER);

  private final Clock clock;
  private final long defaultTtlMicros;
  private final int subscriberQueue;
  private final Executor delivery;
  private final ExecutorService ownedDelivery;

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  // Sorted, for prefix ranges; there are far fewer hosts and services than entries.
  private final ConcurrentSkipListMap<String, Set<Key>> byHost = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, Set<Key>> byService = new ConcurrentSkipListMap<>();
  private final PriorityQueue<Due> deadlines = new PriorityQueue<>(DUE_ORDER);
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private boolean closed;

  /**
   * An index with the default ttl and subscriber queue, delivering to subscribers on threads of its
   * own (released by {@link #close()}).
   */
  public Index(Clock clock) {
    this(clock, DEFAULT_TTL, DEFAULT_SUBSCRIBER_QUEUE, null);
  }

  /**
   * @param defaultTtl the ttl of events that have none
   * @param subscriberQueue changes a subscriber may have waiting before it is dropped
   * @param delivery runs subscribers' code; null for threads of the index's own. Tests may pass
   *     {@code Runnable::run} to deliver on the writer's thread, deterministically.
   */
  public Index(Clock clock, Duration defaultTtl, int subscriberQueue, Executor delivery) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (defaultTtl.isNegative() || defaultTtl.isZero()) {
      throw new IllegalArgumentException("the default ttl must be positive, got " + defaultTtl);
    }
    if (subscriberQueue < 1) {
      throw new IllegalArgumentException(
          "the subscriber queue must hold at least 1 change, got " + subscriberQueue);
    }
    this.defaultTtlMicros = defaultTtl.toNanos() / 1000;
    this.subscriberQueue = subscriberQueue;
    if (delivery == null) {
      AtomicInteger threads = new AtomicInteger();
      this.ownedDelivery =
          Executors.newCachedThreadPool(
              task -> {
                Thread t = new Thread(task, "index-subscriber-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.delivery = ownedDelivery;
    } else {
      this.ownedDelivery = null;
      this.delivery = delivery;
    }
  }

  /** Inserts or replaces the event's entry, or removes it if the event's state is expired. */
  public synchronized void update(Event event) {
    Objects.requireNonNull(event, "event");
    updates.incrementAndGet();
    Key key = new Key(event.host(), event.service());
    Entry entry = entries.get(key);
    Event previous = entry == null ? null : entry.event;
    if (EXPIRED.equals(event.state())) {
      if (entry != null) {
        remove(entry);
      }
      notifyExpired(previous, event);
      return;
    }
    long deadline = deadline(event);
    if (entry == null) {
      entry = new Entry(key, event);
      entries.put(key, entry);
      addTo(byHost, key.host(), key);
      addTo(byService, key.service(), key);
    } else {
      entry.event = event;
    }
    entry.deadline = deadline;
    if (deadline != NEVER && (entry.queued == null || deadline < entry.queued.deadline())) {
      enqueue(entry, deadline);
    }
    notifyUpdated(previous, event);
  }

  /**
   * Removes every entry whose deadline the clock has passed.
   *
   * @return the removed entries as events with state {@code expired} and their deadline as time,
   *     earliest first (ties by host, then service)
   */
  public synchronized List<Event> expire() {
    long now = clock.nowMicros();
    List<Event> gone = new ArrayList<>();
    Due due;
    while ((due = deadlines.peek()) != null && due.deadline() < now) {
      deadlines.poll();
      Entry entry = due.entry();
      if (entry.queued != due) {
        continue; // stale: the entry was removed, or an earlier deadline superseded this item
      }
      entry.queued = null;
      if (entry.deadline != due.deadline()) {
        // Refreshed since it was queued (so its deadline is later): queue it again, even if the
        // new deadline has passed too, so that expiry stays in deadline order.
        if (entry.deadline != NEVER) {
          enqueue(entry, entry.deadline);
        }
        continue;
      }
      remove(entry);
      Event expiredEvent =
          entry.event.toBuilder().state(EXPIRED).timeMicros(entry.deadline).build();
      gone.add(expiredEvent);
      notifyExpired(entry.event, expiredEvent);
    }
    expired.addAndGet(gone.size());
    return gone;
  }

  /** The entry of (host, service); either may be null (nil). */
  public Optional<Event> lookup(String host, String service) {
    Entry entry = entries.get(new Key(host, service));
    return entry == null ? Optional.empty() : Optional.of(entry.event);
  }

  public int size() {
    return entries.size();
  }

  /** The entries that match, sorted by host, then service. */
  public List<Event> query(Query query) {
    List<Event> out = new ArrayList<>();
    switch (access(query)) {
      case LOOKUP -> {
        String host = query.exactValue(Field.Builtin.HOST).orElseThrow();
        String service = query.exactValue(Field.Builtin.SERVICE).orElseThrow();
        lookup(host, service).filter(query::matches).ifPresent(out::add);
      }
      case HOST_INDEX ->
          collect(byHost.get(query.exactValue(Field.Builtin.HOST).orElseThrow()), query, out);
      case SERVICE_INDEX ->
          collect(byService.get(query.exactValue(Field.Builtin.SERVICE).orElseThrow()), query, out);
      case HOST_PREFIX -> collectPrefix(byHost, Field.Builtin.HOST, query, out);
      case SERVICE_PREFIX -> collectPrefix(byService, Field.Builtin.SERVICE, query, out);
      case SCAN -> {
        for (Entry entry : entries.values()) {
          Event event = entry.event;
          if (query.matches(event)) {
            out.add(event);
          }
        }
      }
    }
    out.sort(ORDER);
    return out;
  }

  /** How {@link #query} answers a query. */
  public static Access access(Query query) {
    boolean host = query.exactValue(Field.Builtin.HOST).isPresent();
    boolean service = query.exactValue(Field.Builtin.SERVICE).isPresent();
    if (host && service) {
      return Access.LOOKUP;
    }
    if (host) {
      return Access.HOST_INDEX;
    }
    if (service) {
      return Access.SERVICE_INDEX;
    }
    if (likePrefix(query.expr(), Field.Builtin.HOST) != null) {
      return Access.HOST_PREFIX;
    }
    return likePrefix(query.expr(), Field.Builtin.SERVICE) != null
        ? Access.SERVICE_PREFIX
        : Access.SCAN;
  }

  /**
   * The literal start of a {@code field =~ "pattern"} that the expression requires (alone, or as a
   * term of an {@code and}); null if there is none, or if it is empty ({@code "%x"}).
   */
  private static String likePrefix(Expr expr, Field field) {
    if (expr instanceof Expr.Like like && like.field().equals(field)) {
      int wildcard = like.pattern().indexOf('%');
      String prefix = wildcard < 0 ? like.pattern() : like.pattern().substring(0, wildcard);
      return prefix.isEmpty() ? null : prefix;
    }
    if (expr instanceof Expr.And and) {
      for (Expr term : and.terms()) {
        String prefix = likePrefix(term, field);
        if (prefix != null) {
          return prefix;
        }
      }
    }
    return null;
  }

  /** {@link #subscribe(Query, Consumer, Consumer)} without a close callback. */
  public Subscription subscribe(Query query, Consumer<Change> changes) {
    return subscribe(query, changes, reason -> {});
  }

  /**
   * A live query: {@code changes} first receives the matching entries (as {@link
   * Change.Kind#UPDATE}, sorted like {@link #query}), then every change that concerns the query, in
   * order: an update whose event matches, a replacement that no longer matches what matched ({@link
   * Change.Kind#REMOVE}), and a removal of an entry that matched or whose expired event matches
   * ({@link Change.Kind#EXPIRE}). Both callbacks run on the delivery executor, never on the
   * writer's thread (unless the executor is a direct one).
   *
   * @param onClose runs once when the subscription closes, with the reason: closed by the
   *     subscriber, too slow (its queue overflowed), failed (a callback threw), or the index closed
   */
  public synchronized Subscription subscribe(
      Query query, Consumer<Change> changes, Consumer<String> onClose) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(onClose, "onClose");
    Subscription s =
        new Subscription(
            query,
            query(query),
            subscriberQueue,
            changes,
            onClose,
            delivery,
            subscriptions::remove);
    if (closed) {
      s.close("the index is closed");
    } else {
      subscriptions.add(s);
      s.start();
    }
    return s;
  }

  /** Updates received so far, expired ones included. */
  public long updateCount() {
    return updates.get();
  }

  /** Entries removed by {@link #expire()} so far. */
  public long expiredCount() {
    return expired.get();
  }

  public int subscriptionCount() {
    return subscriptions.size();
  }

  /** Closes every subscription (telling each why) and stops the index's own delivery threads. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Subscription s : List.copyOf(subscriptions)) {
      s.close("the index is closed");
    }
    if (ownedDelivery != null) {
      ownedDelivery.shutdown(); // lets the close callbacks already handed over run
    }
  }

  // The writer's helpers; all run under the lock.

  private long deadline(Event event) {
    long time = event.timeMicros() != null ? event.timeMicros() : clock.nowMicros();
    Float ttl = event.ttl();
    long ttlMicros;
    if (ttl == null || ttl.isNaN()) {
      ttlMicros = defaultTtlMicros;
    } else if (ttl == Float.POSITIVE_INFINITY) {
      return NEVER;
    } else {
      ttlMicros = Math.round(ttl.doubleValue() * 1e6); // saturates at Long.MIN/MAX_VALUE
    }
    long deadline = time + ttlMicros;
    if (((time ^ deadline) & (ttlMicros ^ deadline)) < 0) { // overflowed
      return ttlMicros > 0 ? NEVER : Long.MIN_VALUE;
    }
    return deadline;
  }

  private void enqueue(Entry entry, long deadline) {
    Due due = new Due(deadline, entry);
    entry.queued = due;
    deadlines.add(due);
  }

  private void remove(Entry entry) {
    entries.remove(entry.key);
    removeFrom(byHost, entry.key.host(), entry.key);
    removeFrom(byService, entry.key.service(), entry.key);
    entry.queued = null; // its item in the queue, if any, is now stale
  }

  private static void addTo(Map<String, Set<Key>> index, String value, Key key) {
    if (value != null) {
      index.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key);
    }
  }

  private static void removeFrom(Map<String, Set<Key>> index, String value, Key key) {
    if (value == null) {
      return;
    }
    Set<Key> keys = index.get(value);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        index.remove(value); // only the writer adds, so nothing can slip in meanwhile
      }
    }
  }

  private void collect(Set<Key> keys, Query query, List<Event> out) {
    if (keys == null) {
      return;
    }
    for (Key key : keys) {
      Entry entry = entries.get(key);
      if (entry != null) {
        Event event = entry.event;
        if (query.matches(event)) {
          out.add(event);
        }
      }
    }
  }

  private void collectPrefix(
      NavigableMap<String, Set<Key>> index, Field field, Query query, List<Event> out) {
    String prefix = likePrefix(query.expr(), field);
    // "prefix%" alone is exactly what the range guarantees: no need to match each entry again.
    boolean guaranteed =
        query.expr() instanceof Expr.Like like
            && like.pattern().indexOf('%') == prefix.length()
            && like.pattern().length() == prefix.length() + 1;
    for (Map.Entry<String, Set<Key>> values : index.tailMap(prefix, true).entrySet()) {
      if (!values.getKey().startsWith(prefix)) {
        break; // sorted: no later value starts with the prefix either
      }
      if (guaranteed) {
        for (Key key : values.getValue()) {
          Entry entry = entries.get(key);
          if (entry != null) {
            out.add(entry.event);
          }
        }
      } else {
        collect(values.getValue(), query, out);
      }
    }
  }

  private void notifyUpdated(Event previous, Event event) {
    for (Subscription s : subscriptions) {
      if (s.query().matches(event)) {
        s.offer(new Change(Change.Kind.UPDATE, event));
      } else if (previous != null && s.query().matches(previous)) {
        s.offer(new Change(Change.Kind.REMOVE, event));
      }
    }
  }

  private void notifyExpired(Event previous, Event expiredEvent) {
    for (Subscription s : subscriptions) {
      if (s.query().matches(expiredEvent) || (previous != null && s.query().matches(previous))) {
        s.offer(new Change(Change.Kind.EXPIRE, expiredEvent));
      }
    }
  }

  /** An entry's identity; host and service may be nil. */
  private record Key(String host, String service) {}

  /** The latest event of a key. */
  private static final class Entry {
    final Key key;

    /** Read by any thread, written by the writer. */
    volatile Event event;

    // Writer only:
    long deadline;

    /** This entry's live item in the deadline queue, or null if it has none. */
    Due queued;

    Entry(Key key, Event event) {
      this.key = key;
      this.event = event;
    }
  }

  /**
   * An item of the deadline queue: live while its entry's {@code queued} is this very item
   * (identity, hence a class and not a record).
   */
  private static final class Due {
    private final long deadline;
    private final Entry entry;

    Due(long deadline, Entry entry) {
      this.deadline = deadline;
      this.entry = entry;
    }

    long deadline() {
      return deadline;
    }

    Entry entry() {
      return entry;
    }
  }
}
