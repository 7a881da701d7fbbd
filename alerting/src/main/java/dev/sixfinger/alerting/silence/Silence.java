package dev.sixfinger.alerting.silence;

import dev.sixfinger.alerting.routing.Matcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A silence: alerts whose labels match every matcher are not notified between {@code startsAt}
 * (inclusive) and {@code endsAt} (exclusive). Alerts that a receiver was already told about still
 * get their resolve (see the dispatcher). Expiring a silence sets {@code endsAt} to now.
 */
public record Silence(
    String id,
    List<Matcher> matchers,
    String createdBy,
    String comment,
    long startsAtMicros,
    long endsAtMicros,
    long updatedAtMicros) {

  public Silence {
    Objects.requireNonNull(id, "id");
    matchers = List.copyOf(matchers);
  }

  /** Whether the silence is in force at {@code nowMicros}. */
  public boolean activeAt(long nowMicros) {
    return startsAtMicros <= nowMicros && nowMicros < endsAtMicros;
  }

  /** Whether it has ended by {@code nowMicros}. */
  public boolean expiredAt(long nowMicros) {
    return endsAtMicros <= nowMicros;
  }

  public boolean matches(Map<String, String> labels) {
    return Matcher.all(matchers, labels);
  }

  public Silence withEndsAt(long endsAt, long updatedAt) {
    return new Silence(id, matchers, createdBy, comment, startsAtMicros, endsAt, updatedAt);
  }
}
