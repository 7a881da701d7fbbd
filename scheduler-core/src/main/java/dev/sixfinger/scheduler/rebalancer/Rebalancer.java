package dev.sixfinger.scheduler.rebalancer;

import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Host;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Cook's rebalancer: makes room for starved jobs by preempting, on a single host, the running tasks
 * of other users that are furthest over their share. A preemption happens only when every victim
 * scores above the safe threshold and at least {@code minDruDiff} above the starved job, so that it
 * moves the cluster towards fairness instead of trading places between equals.
 */
public final class Rebalancer {
  /** A job that could not be placed, with its cumulative score and hosts it must avoid. */
  public record Starved(Job job, double score, Set<String> avoidHosts) {}

  /** A running task that could be preempted. */
  public record Running(
      String taskId, String user, String host, Resources resources, double score) {}

  /** Preempt {@code victims} on {@code host} and reserve it for {@code forJob}. */
  public record Decision(String host, String forJob, List<String> victims) {}

  private static final Comparator<Running> MOST_OVER_SHARE_FIRST =
      Comparator.comparingDouble(Running::score).reversed().thenComparing(Running::taskId);

  private Rebalancer() {}

  /**
   * Chooses this cycle's preemptions, at most one host per starved job.
   *
   * @param starved in rank order (lowest score first)
   * @param hosts hosts with their usage after this cycle's placements
   * @param placeable whether a host may take new work (health, not reserved)
   */
  public static List<Decision> decide(
      RebalancerConfig config,
      List<Starved> starved,
      Collection<Running> running,
      Collection<Host> hosts,
      Predicate<String> placeable) {
    List<Decision> decisions = new ArrayList<>();
    if (!config.enabled() || config.maxPreemption() == 0) {
      return decisions;
    }
    Map<String, List<Running>> byHost = new TreeMap<>();
    for (Running r : running) {
      byHost.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(r);
    }
    byHost.values().forEach(l -> l.sort(MOST_OVER_SHARE_FIRST));
    Map<String, Resources> free = new HashMap<>();
    Map<String, Host> byName = new TreeMap<>();
    for (Host h : hosts) {
      free.put(h.name(), h.free());
      byName.put(h.name(), h);
    }
    Set<String> taken = new HashSet<>();
    Set<String> reservedNow = new HashSet<>();
    int preempted = 0;
    int considered = 0;
    for (Starved s : starved) {
      if (considered++ >= config.maxJobsConsidered() || preempted >= config.maxPreemption()) {
        break;
      }
      Resources need = s.job().resources();
      Decision best = null;
      double bestMin = 0;
      for (Host h : byName.values()) {
        if (reservedNow.contains(h.name())
            || !placeable.test(h.name())
            || !h.capacity().covers(need)
            || !accepts(h, s.job(), s.avoidHosts())) {
          continue;
        }
        Resources room = free.get(h.name());
        List<String> victims = new ArrayList<>();
        double minScore = Double.MAX_VALUE;
        for (Running r : byHost.getOrDefault(h.name(), List.of())) {
          if (room.covers(need)) {
            break;
          }
          if (taken.contains(r.taskId())
              || r.user().equals(s.job().user())
              || r.score() <= config.safeDruThreshold()
              || r.score() - s.score() < config.minDruDiff()) {
            continue;
          }
          room = room.plus(r.resources());
          victims.add(r.taskId());
          minScore = Math.min(minScore, r.score());
        }
        if (victims.isEmpty() || !room.covers(need)) {
          continue;
        }
        if (preempted + victims.size() > config.maxPreemption()) {
          continue;
        }
        // Fewest victims; then the one whose victims are furthest over their share.
        if (best == null
            || victims.size() < best.victims().size()
            || (victims.size() == best.victims().size() && minScore > bestMin)) {
          best = new Decision(h.name(), s.job().uuid(), victims);
          bestMin = minScore;
        }
      }
      if (best != null) {
        decisions.add(best);
        taken.addAll(best.victims());
        reservedNow.add(best.host());
        preempted += best.victims().size();
      }
    }
    return decisions;
  }

  private static boolean accepts(Host h, Job job, Set<String> avoid) {
    if (avoid.contains(h.name())) {
      return false;
    }
    for (Constraint c : job.constraints()) {
      if (!c.test(h.attributes())) {
        return false;
      }
    }
    return true;
  }
}
