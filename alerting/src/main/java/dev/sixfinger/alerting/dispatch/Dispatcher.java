package dev.sixfinger.alerting.dispatch;

import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.alert.AlertStore;
import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.inhibit.Inhibitor;
import dev.sixfinger.alerting.nlog.NotificationLog;
import dev.sixfinger.alerting.nlog.NotificationLogEntry;
import dev.sixfinger.alerting.routing.Route;
import dev.sixfinger.alerting.silence.Silences;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups alerts and decides, with Alertmanager's timing, which notifications to send; it never
 * sends anything itself and has no threads. The wiring:
 *
 * <ol>
 *   <li>replays {@code sixfinger.notifications} into {@link #notificationLog()}, {@code
 *       sixfinger.silences} into the {@link Silences} it passed in, and {@code sixfinger.alerts}
 *       into {@link #accept} (in that order or any: nothing is decided before the first tick);
 *   <li>then, live, feeds new records the same way and calls {@link #tick} at least every second
 *       (or at {@link #nextFlushMicros});
 *   <li>delivers each returned {@link Notification} with its receiver's notifier and passes the
 *       outcome to {@link #recordResult}, which returns the entry to write to {@code
 *       sixfinger.notifications} (key {@link NotificationLogEntry#key()}).
 * </ol>
 *
 * <p>Timing, per aggregation group (route + values of its {@code group_by} labels): the first
 * notification goes out {@code group_wait} after the group's first alert (at once if that alert
 * started more than {@code group_wait} ago, e.g. after a restart); from then on the group is
 * flushed every {@code group_interval}, and a flush notifies when an alert fires that the receiver
 * was not told about, when an alert it was told about resolved, or when {@code repeat_interval} has
 * passed since the last notification and something still fires. The notification log makes these
 * decisions: a restart re-pages nothing already delivered and still sends due resolves.
 *
 * <p>Silenced and inhibited alerts are not shown; but an alert a receiver was told fires stays in
 * its log entry while muted, so the receiver gets its resolve (no orphaned incidents). Flapping
 * alerts (see {@link dev.sixfinger.alerting.alert.FlapPolicy}) are held firing until stable.
 *
 * <p>Not thread-safe: one thread (the wiring's loop) calls every method.
 */
public final class Dispatcher {
  /** A failed notification is tried again after at most this long (sooner if group_interval). */
  public static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

  /** Resolved alerts stay in the store (for the API and history) this long. */
  public static final Duration RESOLVED_RETENTION = Duration.ofHours(24);

  private final AlertingConfig config;
  private final Clock clock;
  private final Silences silences;
  private final NotificationLog nlog;
  private final AlertStore store;
  private final Inhibitor inhibitor;
  private final Map<String, Group> groups = new TreeMap<>();
  private final Map<String, Set<String>> groupsOfAlert = new HashMap<>();

  /** The mutable state of one aggregation group. */
  private static final class Group {
    final String key;
    final Route route;
    final Map<String, String> labels;
    final Map<String, Alert> alerts = new TreeMap<>();
    long nextFlushMicros;
    boolean flushed;
    Notification pending;

    Group(String key, Route route, Map<String, String> labels, long nextFlushMicros) {
      this.key = key;
      this.route = route;
      this.labels = labels;
      this.nextFlushMicros = nextFlushMicros;
    }
  }

  /** A read-only view of a group, for the API and tests. */
  public record GroupView(
      String key,
      String receiver,
      Map<String, String> labels,
      List<String> fingerprints,
      long nextFlushMicros,
      boolean pending) {}

  public Dispatcher(
      AlertingConfig config, Clock clock, Silences silences, NotificationLog notificationLog) {
    this.config = config;
    this.clock = clock;
    this.silences = silences;
    this.nlog = notificationLog;
    this.store = new AlertStore(config.flapping());
    this.inhibitor = new Inhibitor(config.inhibitRules());
  }

  public AlertStore alerts() {
    return store;
  }

  public Silences silences() {
    return silences;
  }

  public NotificationLog notificationLog() {
    return nlog;
  }

  public AlertingConfig config() {
    return config;
  }

  /**
   * Takes one record of {@code sixfinger.alerts}. Duplicates and stale records change nothing. A
   * resolve for an alert no group holds is kept only if a receiver is owed it (by the log).
   */
  public AlertStore.Change accept(AlertRecord record) {
    AlertStore.Change change = store.apply(record);
    if (change == AlertStore.Change.DUPLICATE || change == AlertStore.Change.STALE) {
      return change;
    }
    Alert alert = store.get(record.fingerprint()).orElseThrow();
    long now = clock.nowMicros();
    for (Route route : config.route().match(alert.labels())) {
      Map<String, String> labels = GroupKeys.groupLabels(route, alert.labels());
      String key = GroupKeys.of(route, labels);
      Group g = groups.get(key);
      if (g == null) {
        if (!alert.firing() && !owed(key, route.receiver(), alert.fingerprint())) {
          continue; // a resolve nobody was told the firing of
        }
        g = new Group(key, route, labels, now + micros(route.groupWait()));
        groups.put(key, g);
      }
      if (!g.flushed && alert.startsAtMicros() + micros(route.groupWait()) <= now) {
        // Alertmanager: an alert older than group_wait is not made to wait again.
        g.nextFlushMicros = Math.min(g.nextFlushMicros, now);
      }
      g.alerts.put(alert.fingerprint(), alert);
      groupsOfAlert.computeIfAbsent(alert.fingerprint(), f -> new HashSet<>()).add(key);
    }
    return change;
  }

  private boolean owed(String groupKey, String receiver, String fingerprint) {
    return nlog.get(groupKey, receiver).map(e -> e.firing().contains(fingerprint)).orElse(false);
  }

  /**
   * Flushes every group that is due at {@code nowMicros} and returns what to send, in group key
   * order. A group with a notification still awaiting {@link #recordResult} is skipped.
   */
  public List<Notification> tick(long nowMicros) {
    List<Notification> out = new ArrayList<>();
    // Indexed only when a group is due: a wiring that ticks at every due time calls this often.
    Inhibitor.Snapshot inhibition = null;
    for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (g.pending != null || nowMicros < g.nextFlushMicros) {
        continue;
      }
      if (inhibition == null) {
        inhibition = inhibitor.snapshot(store.all());
      }
      long interval = micros(g.route.groupInterval());
      long next = g.nextFlushMicros + interval;
      g.nextFlushMicros = next > nowMicros ? next : nowMicros + interval;
      g.flushed = true;
      Notification n = flush(g, nowMicros, inhibition);
      if (n != null) {
        g.pending = n;
        out.add(n);
      }
      if (g.alerts.isEmpty() && g.pending == null) {
        it.remove();
      }
    }
    return out;
  }

  private Notification flush(Group g, long now, Inhibitor.Snapshot inhibition) {
    String receiver = g.route.receiver();
    Optional<NotificationLogEntry> entry =
        nlog.get(g.key, receiver).filter(NotificationLogEntry::delivered);
    Set<String> told = entry.map(NotificationLogEntry::firing).orElse(Set.of());
    List<Alert> firing = new ArrayList<>();
    List<Alert> resolved = new ArrayList<>();
    Set<String> stillOpen = new LinkedHashSet<>();
    Set<String> flapping = new LinkedHashSet<>();
    for (Iterator<Alert> it = g.alerts.values().iterator(); it.hasNext(); ) {
      Alert a = it.next();
      boolean flaps = store.flapping(a.fingerprint(), now);
      if (a.firing() || flaps) {
        boolean muted =
            silences.isSilenced(a.labels(), now)
                || inhibition.isInhibited(a.fingerprint(), a.labels());
        if (!muted) {
          firing.add(a);
          if (flaps) {
            flapping.add(a.fingerprint());
          }
        } else if (told.contains(a.fingerprint())) {
          stillOpen.add(a.fingerprint());
        }
      } else if (told.contains(a.fingerprint())) {
        resolved.add(a);
      } else {
        it.remove(); // resolved, and this receiver never heard of it firing
        forgetMembership(a.fingerprint(), g.key);
      }
    }
    // Fingerprints the receiver was told fire that this group does not hold (their firing record
    // aged out of the log before a restart): still owed a resolve, which comes with their next
    // record. Never dropped silently.
    for (String f : told) {
      if (!g.alerts.containsKey(f)) {
        stillOpen.add(f);
      }
    }
    boolean newFiring = false;
    for (Alert a : firing) {
      if (!told.contains(a.fingerprint())) {
        newFiring = true;
        break;
      }
    }
    boolean repeat =
        entry.isPresent()
            && !firing.isEmpty()
            && now - entry.get().sentAtMicros() >= micros(g.route.repeatInterval());
    boolean needed;
    if (entry.isEmpty()) {
      needed = !firing.isEmpty();
    } else {
      needed = newFiring || !resolved.isEmpty() || repeat;
    }
    if (!needed) {
      return null;
    }
    Comparator<Alert> order =
        Comparator.comparingLong(Alert::startsAtMicros).thenComparing(Alert::fingerprint);
    firing.sort(order);
    resolved.sort(order);
    Receiver r = config.receiver(receiver);
    return new Notification(
        g.key, r, g.labels, firing, resolved, stillOpen, flapping, now, config.externalUrl());
  }

  /**
   * Records the outcome of delivering {@code n} and returns the entry to write to {@code
   * sixfinger.notifications}. On success the receiver's view (firing, resolved) becomes the
   * notification's and resolved alerts leave the group; on failure the view stays as it was (so the
   * next flush, at most {@link #RETRY_AFTER_FAILURE} later, tries again) and only the outcome is
   * new.
   *
   * @param detail why it failed (PagerDuty's error text, HTTP status...), ignored on success
   */
  public NotificationLogEntry recordResult(Notification n, boolean delivered, String detail) {
    long now = clock.nowMicros();
    Group g = groups.get(n.groupKey());
    if (g != null && g.pending == n) {
      g.pending = null;
    }
    String receiver = n.receiverName();
    Optional<NotificationLogEntry> prev = nlog.get(n.groupKey(), receiver);
    NotificationLogEntry e;
    if (delivered) {
      Set<String> resolved = new LinkedHashSet<>();
      n.resolved().forEach(a -> resolved.add(a.fingerprint()));
      e =
          new NotificationLogEntry(
              n.groupKey(),
              receiver,
              n.firingAfter(),
              resolved,
              n.createdAtMicros(),
              n.dedupKey(),
              NotificationLogEntry.SENT,
              now);
      if (g != null) {
        for (Alert a : n.resolved()) {
          Alert cur = g.alerts.get(a.fingerprint());
          if (cur != null && !cur.firing() && cur.updatedAtMicros() == a.updatedAtMicros()) {
            g.alerts.remove(a.fingerprint());
            forgetMembership(a.fingerprint(), g.key);
          }
        }
        if (g.alerts.isEmpty()) {
          groups.remove(g.key);
        }
      }
    } else {
      e =
          new NotificationLogEntry(
              n.groupKey(),
              receiver,
              prev.map(NotificationLogEntry::firing).orElse(Set.of()),
              prev.map(NotificationLogEntry::resolved).orElse(Set.of()),
              prev.map(NotificationLogEntry::sentAtMicros).orElse(null),
              n.dedupKey(),
              "failed: " + (detail == null ? "unknown error" : detail),
              now);
      if (g != null) {
        long retry = now + Math.min(micros(RETRY_AFTER_FAILURE), micros(g.route.groupInterval()));
        g.nextFlushMicros = Math.min(g.nextFlushMicros, retry);
      }
    }
    nlog.apply(e);
    return e;
  }

  private void forgetMembership(String fingerprint, String groupKey) {
    Set<String> keys = groupsOfAlert.get(fingerprint);
    if (keys != null) {
      keys.remove(groupKey);
      if (keys.isEmpty()) {
        groupsOfAlert.remove(fingerprint);
      }
    }
  }

  /** The earliest time a group is due, for a wiring that sleeps between ticks. */
  public OptionalLong nextFlushMicros() {
    return groups.values().stream()
        .filter(g -> g.pending == null)
        .mapToLong(g -> g.nextFlushMicros)
        .min();
  }

  /**
   * Housekeeping: forgets alerts resolved longer than {@link #RESOLVED_RETENTION} ago (unless a
   * group still holds them) and returns the notification log keys to tombstone (entries that owe
   * nothing, older than {@link NotificationLog#DEFAULT_RETENTION}, of groups that no longer exist).
   */
  public List<String> collectGarbage(long nowMicros) {
    store.forgetResolved(nowMicros, RESOLVED_RETENTION, groupsOfAlert.keySet());
    Set<String> live = new HashSet<>();
    for (Group g : groups.values()) {
      live.add(NotificationLogEntry.key(g.key, g.route.receiver()));
    }
    List<String> keys = nlog.garbage(nowMicros, NotificationLog.DEFAULT_RETENTION, live);
    keys.forEach(nlog::remove);
    return keys;
  }

  /** The groups, in key order. */
  public List<GroupView> groups() {
    List<GroupView> out = new ArrayList<>();
    for (Group g : groups.values()) {
      out.add(
          new GroupView(
              g.key,
              g.route.receiver(),
              g.labels,
              List.copyOf(g.alerts.keySet()),
              g.nextFlushMicros,
              g.pending != null));
    }
    return out;
  }

  /**
   * Why an alert is not notified at {@code nowMicros}: the ids of the silences and the fingerprint
   * of an inhibiting alert; empty when it is not muted.
   */
  public List<String> mutedBy(String fingerprint, long nowMicros) {
    Optional<Alert> a = store.get(fingerprint);
    if (a.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    silences.silencing(a.get().labels(), nowMicros).forEach(s -> out.add("silence:" + s.id()));
    inhibitor
        .snapshot(store.all())
        .inhibitedBy(fingerprint, a.get().labels())
        .ifPresent(f -> out.add("inhibited-by:" + f));
    return out;
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
