package dev.sixfinger.alerting.nlog;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a receiver was last told about an aggregation group: the record of the compacted {@code
 * sixfinger.notifications} topic under {@link #key()}.
 *
 * @param firing fingerprints the receiver believes are firing (it was told they fire and not yet
 *     that they resolved), including alerts that were silenced or inhibited after it was told: they
 *     are owed a resolve
 * @param resolved fingerprints whose resolve was in the last successful notification
 * @param sentAtMicros when the last successful notification was made (the dispatcher's flush time);
 *     null if every attempt so far failed
 * @param dedupKey the receiver-side key of the group's incident (PagerDuty's dedup_key)
 * @param outcome {@code sent}, or {@code failed: why} for the last attempt
 * @param attemptedAtMicros when the last attempt's result was recorded
 */
public record NotificationLogEntry(
    String groupKey,
    String receiver,
    Set<String> firing,
    Set<String> resolved,
    Long sentAtMicros,
    String dedupKey,
    String outcome,
    long attemptedAtMicros) {

  public static final String SENT = "sent";

  public NotificationLogEntry {
    Objects.requireNonNull(groupKey, "groupKey");
    Objects.requireNonNull(receiver, "receiver");
    firing = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(firing));
    resolved = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(resolved));
    Objects.requireNonNull(outcome, "outcome");
  }

  /** The Kafka key: receiver and group key. */
  public String key() {
    return key(groupKey, receiver);
  }

  public static String key(String groupKey, String receiver) {
    return receiver + "|" + groupKey;
  }

  /** Whether a notification was ever delivered for this group and receiver. */
  public boolean delivered() {
    return sentAtMicros != null;
  }
}
