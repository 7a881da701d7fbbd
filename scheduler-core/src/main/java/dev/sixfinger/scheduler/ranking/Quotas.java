package dev.sixfinger.scheduler.ranking;

import dev.sixfinger.scheduler.job.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quotas per user (the {@code default} user's quota applies to users without one; none at all means
 * unlimited), and, during a cycle, what each user already runs.
 */
public final class Quotas {
  private final Map<String, Quota> byUser;

  public Quotas(Map<String, Quota> byUser) {
    this.byUser = new TreeMap<>(byUser);
  }

  public static Quotas unlimited() {
    return new Quotas(Map.of());
  }

  public Quota of(String user) {
    Quota q = byUser.get(user);
    if (q == null) {
      q = byUser.get(Shares.DEFAULT_USER);
    }
    return q == null ? Quota.UNLIMITED : q;
  }

  public Map<String, Quota> asMap() {
    return java.util.Collections.unmodifiableMap(byUser);
  }

  /** Starts tracking a cycle from what each user runs now. */
  public Tracker tracker(Map<String, Usage> running) {
    return new Tracker(running);
  }

  /** What a user runs: resources and job count. */
  public record Usage(Resources resources, int count) {
    public static final Usage NONE = new Usage(Resources.ZERO, 0);

    public Usage plus(Resources r) {
      return new Usage(resources.plus(r), count + 1);
    }
  }

  /** Counts placements made during a cycle against the quotas. */
  public final class Tracker {
    private final Map<String, Usage> usage;

    private Tracker(Map<String, Usage> running) {
      this.usage = new HashMap<>(running);
    }

    /** Null when {@code need} fits in the user's quota, else which limit it breaks, in words. */
    public String exceeded(String user, Resources need) {
      return Quotas.exceeded(of(user), usage.getOrDefault(user, Usage.NONE), user, need);
    }

    public void add(String user, Resources r) {
      usage.merge(user, Usage.NONE.plus(r), (a, b) -> a.plus(r));
    }
  }

  /** Null when one more job of {@code need} stays within the quota, else which limit it breaks. */
  public static String exceeded(Quota q, Usage used, String user, Resources need) {
    if (used.count() + 1 > q.count()) {
      return "user " + user + " runs " + used.count() + " jobs, quota " + q.count() + " jobs";
    }
    if (used.resources().milliCpus() + need.milliCpus()
        > Math.round(Math.min(q.cpus(), 1e15) * 1000)) {
      return "user "
          + user
          + " runs "
          + used.resources().cpus()
          + " cpus, this job needs "
          + need.cpus()
          + ", quota "
          + q.cpus()
          + " cpus";
    }
    if (used.resources().memMib() + need.memMib() > q.memMib()) {
      return "user "
          + user
          + " runs "
          + used.resources().memMib()
          + " MiB, this job needs "
          + need.memMib()
          + ", quota "
          + q.memMib()
          + " MiB";
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quotas other && other.byUser.equals(byUser);
  }

  @Override
  public int hashCode() {
    return byUser.hashCode();
  }

  @Override
  public String toString() {
    return byUser.toString();
  }
}
