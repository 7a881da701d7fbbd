package dev.sixfinger.alerting.nlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last entry per group and receiver: the fold of the compacted {@code sixfinger.notifications}
 * topic. The dispatcher consults it before every notification, so that a restarted process (which
 * replays the topic first) does not page again for what was already sent. Not thread-safe.
 */
public final class NotificationLog {
  /** How long an entry with nothing firing is kept after its last attempt (Alertmanager: 120h). */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(120);

  private final Map<String, NotificationLogEntry> entries = new HashMap<>();

  /** A record of the topic. An entry older than the one held is ignored. */
  public void apply(NotificationLogEntry e) {
    NotificationLogEntry cur = entries.get(e.key());
    if (cur == null || e.attemptedAtMicros() >= cur.attemptedAtMicros()) {
      entries.put(e.key(), e);
    }
  }

  /** A tombstone of the topic. */
  public void remove(String key) {
    entries.remove(key);
  }

  public Optional<NotificationLogEntry> get(String groupKey, String receiver) {
    return Optional.ofNullable(entries.get(NotificationLogEntry.key(groupKey, receiver)));
  }

  public Collection<NotificationLogEntry> all() {
    return List.copyOf(entries.values());
  }

  /**
   * Keys of entries that owe nothing (no firing fingerprints) and were last attempted before {@code
   * nowMicros - retention}, except those of {@code liveKeys}: tombstone them.
   */
  public List<String> garbage(long nowMicros, Duration retention, Set<String> liveKeys) {
    long before = nowMicros - retention.toNanos() / 1000;
    List<String> out = new ArrayList<>();
    for (NotificationLogEntry e : entries.values()) {
      if (e.firing().isEmpty() && e.attemptedAtMicros() < before && !liveKeys.contains(e.key())) {
        out.add(e.key());
      }
    }
    return out;
  }

  public int size() {
    return entries.size();
  }
}
