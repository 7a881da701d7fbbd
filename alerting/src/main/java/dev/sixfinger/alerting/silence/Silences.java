package dev.sixfinger.alerting.silence;

import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Every silence, as the fold of the compacted {@code sixfinger.silences} topic (key = id): {@link
 * #apply} for a record, {@link #remove} for a tombstone. {@link #create} and {@link #expire}
 * validate and return the record to write; they change this store too, so that the writer sees its
 * own change at once (applying the same record again when it comes back from Kafka is harmless).
 *
 * <p>Expiring keeps the silence, with {@code endsAt} = now, so that the history shows who silenced
 * what; {@link #garbage} lists the silences that ended longer ago than the retention, for the
 * wiring to tombstone. Not thread-safe.
 */
public final class Silences {
  private final Clock clock;
  private final Supplier<String> ids;
  private final Map<String, Silence> byId = new LinkedHashMap<>();

  public Silences(Clock clock) {
    this(clock, () -> UUID.randomUUID().toString());
  }

  public Silences(Clock clock, Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * Validates and adds a new silence.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Silence create(
      List<Matcher> matchers,
      String createdBy,
      String comment,
      long startsAtMicros,
      long endsAtMicros) {
    long now = clock.nowMicros();
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one matcher");
    }
    if (matchers.stream().allMatch(m -> m.matchesValue(""))) {
      throw new IllegalArgumentException(
          "a silence needs at least one matcher that does not match the empty string"
              + " (it would silence every alert)");
    }
    if (createdBy == null || createdBy.isBlank()) {
      throw new IllegalArgumentException("a silence needs createdBy (who is silencing)");
    }
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("a silence needs a comment (why)");
    }
    if (endsAtMicros <= startsAtMicros) {
      throw new IllegalArgumentException("a silence's endsAt must be after its startsAt");
    }
    if (endsAtMicros <= now) {
      throw new IllegalArgumentException("a silence's endsAt must be in the future");
    }
    // A start in the past means "from now": the silence never applies to what was before.
    long start = Math.max(startsAtMicros, now);
    Silence s = new Silence(ids.get(), matchers, createdBy, comment, start, endsAtMicros, now);
    byId.put(s.id(), s);
    return s;
  }

  /**
   * Ends a silence now. A silence that has not started yet becomes an empty interval (it never
   * applies).
   *
   * @return the record to write, or empty if there is no such silence or it already ended
   */
  public Optional<Silence> expire(String id) {
    long now = clock.nowMicros();
    Silence s = byId.get(id);
    if (s == null || s.expiredAt(now)) {
      return Optional.empty();
    }
    // A pending silence (not started yet) becomes an empty interval at now, as in Alertmanager.
    Silence ended =
        s.startsAtMicros() > now
            ? new Silence(id, s.matchers(), s.createdBy(), s.comment(), now, now, now)
            : s.withEndsAt(now, now);
    byId.put(id, ended);
    return Optional.of(ended);
  }

  /** A record of the topic. A record older than the one held is ignored. */
  public void apply(Silence s) {
    Silence cur = byId.get(s.id());
    if (cur == null || s.updatedAtMicros() >= cur.updatedAtMicros()) {
      byId.put(s.id(), s);
    }
  }

  /** A tombstone of the topic. */
  public void remove(String id) {
    byId.remove(id);
  }

  public Optional<Silence> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every silence, newest start first. */
  public List<Silence> all() {
    List<Silence> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparingLong(Silence::startsAtMicros).reversed());
    return out;
  }

  /** The silences active at {@code nowMicros} that match the labels. */
  public List<Silence> silencing(Map<String, String> labels, long nowMicros) {
    List<Silence> out = new ArrayList<>();
    for (Silence s : byId.values()) {
      if (s.activeAt(nowMicros) && s.matches(labels)) {
        out.add(s);
      }
    }
    return out;
  }

  public boolean isSilenced(Map<String, String> labels, long nowMicros) {
    for (Silence s : byId.values()) {
      if (s.activeAt(nowMicros) && s.matches(labels)) {
        return true;
      }
    }
    return false;
  }

  /** Ids of silences that ended before {@code nowMicros - retention}: tombstone them. */
  public List<String> garbage(long nowMicros, Duration retention) {
    long before = nowMicros - retention.toNanos() / 1000;
    List<String> out = new ArrayList<>();
    byId.values()
        .forEach(
            s -> {
              if (s.endsAtMicros() < before) {
                out.add(s.id());
              }
            });
    return out;
  }
}
