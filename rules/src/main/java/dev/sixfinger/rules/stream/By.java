package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Riemann's {@code by}: one fork of child streams per distinct key, built on first sight of the
 * key. Unlike Riemann, forks are freed (see {@link ForkExpiry}), so memory follows the live keys.
 * Each fork gets its own {@link StreamContext#child() scope}: freeing it cancels its timers too.
 */
final class By implements Stream, Stateful {
  private final StreamContext ctx;
  private final Function<Event, ?> keyFn;
  private final Function<Streams, Stream> factory;
  private final long idleMicros;
  private final boolean freeOnExpired;
  // Insertion order keeps snapshots deterministic.
  private final Map<Object, Fork> forks = new LinkedHashMap<>();

  private final class Fork {
    final Object key;
    final StreamContext scope;
    final Stream stream;
    long lastSeen;
    Timer idleTimer;

    Fork(Object key, long lastSeen) {
      this.key = key;
      this.scope = ctx.child();
      this.stream = factory.apply(new Streams(scope));
      this.lastSeen = lastSeen;
    }

    void armIdle(long at) {
      if (idleMicros > 0) {
        idleTimer = scope.schedule(at, this::checkIdle);
      }
    }

    // Re-armed lazily at lastSeen + idle, so a busy key costs no timer work per event.
    void checkIdle() {
      long deadline = lastSeen + idleMicros;
      if (deadline > ctx.nowMicros()) {
        armIdle(deadline);
      } else {
        free(this);
      }
    }
  }

  By(
      StreamContext ctx,
      Function<Event, ?> keyFn,
      ForkExpiry expiry,
      Function<Streams, Stream> factory) {
    this.ctx = ctx;
    this.keyFn = keyFn;
    this.factory = factory;
    this.idleMicros = expiry.idle() == null ? 0 : Micros.positive(expiry.idle(), "fork idle time");
    this.freeOnExpired = expiry.onExpiredEvent();
  }

  @Override
  public void accept(Event event) {
    Object key = keyFn.apply(event);
    Fork fork = forks.get(key);
    long now = ctx.nowMicros();
    if (fork == null) {
      fork = newFork(key, now);
    }
    fork.lastSeen = now;
    fork.stream.accept(event);
    if (freeOnExpired && Expiry.hasExpiredState(event) && forks.get(key) == fork) {
      free(fork);
    }
  }

  private Fork newFork(Object key, long lastSeen) {
    Fork fork = new Fork(key, lastSeen);
    forks.put(key, fork);
    fork.armIdle(lastSeen + idleMicros);
    return fork;
  }

  private void free(Fork fork) {
    forks.remove(fork.key);
    fork.scope.close();
  }

  /** Live forks; for tests and metrics. */
  int forkCount() {
    return forks.size();
  }

  @Override
  public Object snapshot() {
    List<Object> entries = new ArrayList<>();
    for (Fork fork : forks.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("key", fork.key);
      entry.put("lastSeen", fork.lastSeen);
      entry.put("idleTimer", StreamContext.timerState(fork.idleTimer));
      entry.put("fork", Snapshots.snapshot(fork.stream));
      entries.add(entry);
    }
    return entries;
  }

  @Override
  public void restore(Object state) {
    if (!(state instanceof List<?> entries)) {
      throw new IllegalArgumentException("by state must be a list of forks: " + state);
    }
    for (Fork fork : new ArrayList<>(forks.values())) {
      free(fork);
    }
    for (Object o : entries) {
      Map<String, Object> entry = State.map(o, "by fork");
      Object key = entry.get("key");
      Fork fork = new Fork(key, State.getLong(entry, "lastSeen", "by"));
      forks.put(key, fork);
      fork.idleTimer = fork.scope.restoreTimer(entry.get("idleTimer"), fork::checkIdle);
      Snapshots.restore(fork.stream, entry.get("fork"));
    }
  }
}
