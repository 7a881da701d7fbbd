package dev.sixfinger.alerting.alert;

import dev.sixfinger.core.record.AlertRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest state of every alert, fed with the records of {@code sixfinger.alerts} in log order,
 * with each alert's history of status transitions and its flapping state.
 *
 * <p>Deduplication: a record that repeats the alert's current content is a {@link
 * Change#DUPLICATE}; a record older than the current state is {@link Change#STALE} and ignored (a
 * replay cannot move an alert back in time). Not thread-safe: one owner feeds it.
 */
public final class AlertStore {
  /** Transitions kept per alert. */
  public static final int HISTORY_LIMIT = 100;

  /** What a record did to the store. */
  public enum Change {
    /** A new alert, or a change of status (firing to resolved or back). */
    TRANSITION,
    /** Same status, other content (summary, evidence, hosts, start). */
    UPDATED,
    /** Exactly the current content again. */
    DUPLICATE,
    /** Older than the current state. */
    STALE
  }

  private static final class Entry {
    Alert alert;
    final Deque<Transition> history = new ArrayDeque<>();
    boolean flapMarked;
  }

  private final FlapPolicy flapPolicy;
  private final Map<String, Entry> alerts = new HashMap<>();

  public AlertStore(FlapPolicy flapPolicy) {
    this.flapPolicy = flapPolicy;
  }

  public FlapPolicy flapPolicy() {
    return flapPolicy;
  }

  public Change apply(AlertRecord record) {
    Alert next = Alert.of(record);
    Entry e = alerts.get(next.fingerprint());
    if (e == null) {
      e = new Entry();
      e.alert = next;
      alerts.put(next.fingerprint(), e);
      record(e, new Transition(null, next.status(), next.updatedAtMicros()));
      return Change.TRANSITION;
    }
    Alert cur = e.alert;
    if (next.updatedAtMicros() < cur.updatedAtMicros()) {
      return Change.STALE;
    }
    if (next.sameAs(cur)) {
      return Change.DUPLICATE;
    }
    e.alert = next;
    if (next.status() != cur.status()) {
      record(e, new Transition(cur.status(), next.status(), next.updatedAtMicros()));
      return Change.TRANSITION;
    }
    return Change.UPDATED;
  }

  private void record(Entry e, Transition t) {
    if (!e.history.isEmpty()) {
      long last = e.history.peekLast().atMicros();
      if (e.flapMarked && t.atMicros() - last >= micros(flapPolicy.stableFor())) {
        e.flapMarked = false; // it had calmed down before this change
      }
    }
    e.history.addLast(t);
    while (e.history.size() > HISTORY_LIMIT) {
      e.history.removeFirst();
    }
    if (flapPolicy.enabled() && !e.flapMarked) {
      long from = t.atMicros() - micros(flapPolicy.window());
      int changes = 0;
      for (Iterator<Transition> it = e.history.descendingIterator(); it.hasNext(); ) {
        if (it.next().atMicros() < from) {
          break;
        }
        changes++;
      }
      e.flapMarked = changes > flapPolicy.maxChanges();
    }
  }

  public Optional<Alert> get(String fingerprint) {
    Entry e = alerts.get(fingerprint);
    return e == null ? Optional.empty() : Optional.of(e.alert);
  }

  public Collection<Alert> all() {
    List<Alert> out = new ArrayList<>(alerts.size());
    alerts.values().forEach(e -> out.add(e.alert));
    return out;
  }

  /** The alert's transitions, oldest first (at most {@link #HISTORY_LIMIT}). */
  public List<Transition> history(String fingerprint) {
    Entry e = alerts.get(fingerprint);
    return e == null ? List.of() : List.copyOf(e.history);
  }

  /**
   * Whether the alert is flapping at {@code nowMicros}: it changed status more than the policy
   * allows within the window, and has not yet been stable for {@code stableFor}.
   */
  public boolean flapping(String fingerprint, long nowMicros) {
    Entry e = alerts.get(fingerprint);
    if (e == null || !e.flapMarked) {
      return false;
    }
    return nowMicros - e.history.peekLast().atMicros() < micros(flapPolicy.stableFor());
  }

  /**
   * Forgets alerts resolved before {@code nowMicros - retention}, except those in {@code keep}, and
   * returns how many.
   */
  public int forgetResolved(
      long nowMicros, java.time.Duration retention, java.util.Set<String> keep) {
    long before = nowMicros - micros(retention);
    int n = 0;
    for (Iterator<Entry> it = alerts.values().iterator(); it.hasNext(); ) {
      Alert a = it.next().alert;
      if (!a.firing() && a.updatedAtMicros() < before && !keep.contains(a.fingerprint())) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  public int size() {
    return alerts.size();
  }

  static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }
}
