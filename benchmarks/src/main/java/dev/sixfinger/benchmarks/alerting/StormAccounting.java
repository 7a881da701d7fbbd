package dev.sixfinger.benchmarks.alerting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure bookkeeping of the alert storm benchmark, independent of the alerting code: what the
 * timing rules of alerting/README.md say PagerDuty should get for the transitions written (one
 * receiver, {@code repeat_interval} longer than the run, flapping off), and how what PagerDuty got
 * compares with it. All times are on one {@link System#nanoTime()} scale.
 *
 * <p>The model, per group: the first firing alert opens the group, whose first flush is due {@code
 * groupWait} later and then every {@code groupInterval}; a flush notifies when the set of firing
 * alerts differs from what the receiver was told (a new firing alert, or a told one resolved); a
 * flush that finds nothing firing and nothing told closes the group, and the next firing alert
 * opens a new one. Each transition that changes what the receiver is told is "carried" by the flush
 * that tells it, which is its due time.
 */
final class StormAccounting {
  private StormAccounting() {}

  /** One alert transition as written to sixfinger.alerts. */
  record Transition(int group, String fingerprint, boolean firing, long atNanos) {}

  /** One event PagerDuty accepted, when it arrived, and the fingerprints it lists firing. */
  record Observed(long atNanos, String dedupKey, String action, Set<String> firing) {}

  /**
   * A transition that the model says a notification carries, at {@code dueNanos}; {@code opener} if
   * it opened its group (its latency beyond group_wait is the "first notification" figure).
   */
  record Carried(Transition t, long dueNanos, boolean inFirstNotification, boolean opener) {}

  /** What the timing rules expect. */
  record Model(
      int notifications,
      int firstNotifications,
      List<Carried> carried,
      Map<Integer, Set<String>> finalFiring) {}

  /** Latency percentiles in milliseconds. */
  record Stats(int count, double p50, double p99, double max) {
    static Stats of(List<Long> nanos) {
      if (nanos.isEmpty()) {
        return new Stats(0, 0, 0, 0);
      }
      long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(a);
      return new Stats(a.length, ms(pct(a, 0.50)), ms(pct(a, 0.99)), ms(a[a.length - 1]));
    }

    private static long pct(long[] sorted, double q) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
      return Math.round(nanos / 1e4) / 100.0;
    }
  }

  /** How PagerDuty's events compare with the model. */
  record Comparison(
      int observed,
      Stats firstBeyondGroupWait,
      Stats updateLatency,
      Stats updateBeyondDueFlush,
      int carriedNotSeen,
      int consecutiveDuplicates,
      int groupsShouldBeOpen,
      int groupsWrong,
      List<String> wrongExamples) {}

  /** Simulates the timing rules over the transitions (any order; sorted here). */
  static Model expected(
      List<Transition> transitions, long groupWaitNanos, long groupIntervalNanos) {
    Map<Integer, List<Transition>> byGroup = new HashMap<>();
    for (Transition t : transitions) {
      byGroup.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
    }
    int[] counts = new int[2];
    List<Carried> carried = new ArrayList<>();
    Map<Integer, Set<String>> finalFiring = new HashMap<>();
    for (Map.Entry<Integer, List<Transition>> e : byGroup.entrySet()) {
      List<Transition> ts = new ArrayList<>(e.getValue());
      ts.sort(Comparator.comparingLong(Transition::atNanos));
      GroupModel g = new GroupModel(groupWaitNanos, groupIntervalNanos, counts, carried);
      for (Transition t : ts) {
        g.flushUntil(t.atNanos());
        g.apply(t);
      }
      g.flushToEnd();
      finalFiring.put(e.getKey(), Set.copyOf(g.firing.keySet()));
    }
    return new Model(counts[0], counts[1], carried, finalFiring);
  }

  private static final class GroupModel {
    final long wait;
    final long interval;
    final int[] counts;
    final List<Carried> carried;
    final Map<String, Transition> firing = new LinkedHashMap<>();
    final Map<String, Transition> last = new HashMap<>();
    Set<String> told = new HashSet<>();
    boolean open;
    boolean flushed;
    long next;
    Transition opener;

    GroupModel(long wait, long interval, int[] counts, List<Carried> carried) {
      this.wait = wait;
      this.interval = interval;
      this.counts = counts;
      this.carried = carried;
    }

    void flushUntil(long now) {
      while (open && next <= now) {
        flush();
      }
    }

    void flushToEnd() {
      while (open) {
        boolean changed = !told.equals(firing.keySet());
        flush();
        if (!changed && !firing.isEmpty()) {
          return; // stays open and quiet: nothing more is due before repeat_interval
        }
      }
    }

    void apply(Transition t) {
      last.put(t.fingerprint(), t);
      if (t.firing()) {
        if (!open) {
          open = true;
          flushed = false;
          next = t.atNanos() + wait;
          opener = t;
        }
        firing.put(t.fingerprint(), t);
      } else {
        firing.remove(t.fingerprint());
      }
    }

    private void flush() {
      long at = next;
      boolean first = !flushed;
      if (!told.equals(firing.keySet())) {
        counts[0]++;
        if (first) {
          counts[1]++;
        }
        for (String fp : firing.keySet()) {
          if (!told.contains(fp)) {
            Transition t = last.get(fp);
            carried.add(new Carried(t, at, first, first && t == opener));
          }
        }
        for (String fp : told) {
          if (!firing.containsKey(fp)) {
            carried.add(new Carried(last.get(fp), at, first, false));
          }
        }
        told = new HashSet<>(firing.keySet());
      }
      flushed = true;
      next = at + interval;
      if (firing.isEmpty() && told.isEmpty()) {
        open = false;
      }
    }
  }

  /**
   * Compares PagerDuty's events with the model.
   *
   * @param transitions everything written: a transition is measured only if an event shows it
   *     before its alert's next transition is written; later ones could show that one instead
   * @param groupOf the group of every fingerprint written
   * @param openIncidents dedup keys PagerDuty holds open at the end
   */
  static Comparison compare(
      Model model,
      List<Transition> transitions,
      List<Observed> observed,
      Map<String, Integer> groupOf,
      Set<String> openIncidents,
      int groups,
      long groupWaitNanos) {
    List<Observed> sorted = new ArrayList<>(observed);
    sorted.sort(Comparator.comparingLong(Observed::atNanos));
    Map<String, Integer> groupOfDedup = new HashMap<>();
    for (Observed o : sorted) {
      for (String fp : o.firing()) {
        Integer g = groupOf.get(fp);
        if (g != null) {
          groupOfDedup.putIfAbsent(o.dedupKey(), g);
        }
      }
    }
    Map<Integer, List<Observed>> byGroup = new HashMap<>();
    Map<Integer, String> dedupOfGroup = new HashMap<>();
    int duplicates = 0;
    Map<String, Observed> previous = new HashMap<>();
    for (Observed o : sorted) {
      Integer g = groupOfDedup.get(o.dedupKey());
      if (g != null) {
        byGroup.computeIfAbsent(g, x -> new ArrayList<>()).add(o);
        dedupOfGroup.put(g, o.dedupKey());
      }
      Observed p = previous.put(o.dedupKey(), o);
      if (p != null && p.action().equals(o.action()) && p.firing().equals(o.firing())) {
        duplicates++;
      }
    }
    List<Long> first = new ArrayList<>();
    List<Long> update = new ArrayList<>();
    List<Long> beyondDue = new ArrayList<>();
    Map<Transition, Long> nextOfSame = new HashMap<>();
    Map<String, Transition> lastOfFp = new HashMap<>();
    List<Transition> inOrder = new ArrayList<>(transitions);
    inOrder.sort(Comparator.comparingLong(Transition::atNanos));
    for (Transition t : inOrder) {
      Transition prev = lastOfFp.put(t.fingerprint(), t);
      if (prev != null) {
        nextOfSame.put(prev, t.atNanos());
      }
    }
    int notSeen = 0;
    for (Carried c : model.carried()) {
      Observed hit = firstCarrying(byGroup.getOrDefault(c.t().group(), List.of()), c.t());
      if (hit != null && hit.atNanos() >= nextOfSame.getOrDefault(c.t(), Long.MAX_VALUE)) {
        hit = null; // superseded before PagerDuty showed it
      }
      if (hit == null) {
        notSeen++;
        continue;
      }
      long latency = hit.atNanos() - c.t().atNanos();
      if (c.opener()) {
        first.add(latency - groupWaitNanos);
      } else if (!c.inFirstNotification()) {
        update.add(latency);
        beyondDue.add(hit.atNanos() - c.dueNanos());
      }
    }
    int shouldBeOpen = 0;
    int wrong = 0;
    List<String> examples = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      boolean should = !model.finalFiring().getOrDefault(g, Set.of()).isEmpty();
      String dedup = dedupOfGroup.get(g);
      boolean open = dedup != null && openIncidents.contains(dedup);
      if (should) {
        shouldBeOpen++;
      }
      if (should != open) {
        wrong++;
        if (examples.size() < 5) {
          examples.add("group " + g + (should ? " fires but has no open incident" : " is open"));
        }
      }
    }
    return new Comparison(
        sorted.size(),
        Stats.of(first),
        Stats.of(update),
        Stats.of(beyondDue),
        notSeen,
        duplicates,
        shouldBeOpen,
        wrong,
        examples);
  }

  /** The first event at or after the transition that shows its alert in the transition's state. */
  private static Observed firstCarrying(List<Observed> events, Transition t) {
    int lo = 0;
    int hi = events.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (events.get(mid).atNanos() < t.atNanos()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < events.size(); i++) {
      Observed o = events.get(i);
      boolean listed = o.action().equals("trigger") && o.firing().contains(t.fingerprint());
      if (listed == t.firing()) {
        return o;
      }
    }
    return null;
  }
}
