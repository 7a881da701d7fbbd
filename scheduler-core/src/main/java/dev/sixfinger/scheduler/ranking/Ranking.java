package dev.sixfinger.scheduler.ranking;

import dev.sixfinger.scheduler.job.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Orders tasks for placement. Deterministic: every tie is broken by a total order. */
public final class Ranking {
  /** Cook's order of one user's tasks: running first, then priority, start, submission, uuid. */
  public static final Comparator<Task> USER_ORDER =
      Comparator.comparing((Task t) -> !t.running())
          .thenComparing(Comparator.comparingInt(Task::priority).reversed())
          .thenComparingLong(t -> t.running() ? t.startMicros() : Long.MAX_VALUE)
          .thenComparingLong(Task::submitMicros)
          .thenComparing(Task::uuid);

  private static final Comparator<ScoredTask> MERGE =
      Comparator.comparingDouble(ScoredTask::score)
          .thenComparing(s -> s.task().user())
          .thenComparing(s -> s.task(), USER_ORDER);

  private Ranking() {}

  public static List<ScoredTask> rank(
      Policy policy, Collection<Task> tasks, Shares shares, Resources clusterCapacity) {
    return switch (policy) {
      case FCFS -> fcfs(tasks);
      case DRF -> drf(tasks, clusterCapacity);
      case CUMULATIVE -> cumulative(tasks, shares);
    };
  }

  /**
   * Cook's cumulative dominant resource usage: the k-th task of a user (in {@link #USER_ORDER})
   * scores the largest, over resources, of the sum of that resource over the user's first k tasks
   * divided by the user's share of it. A user's queued work thus ranks behind everyone else's
   * smaller backlog, instead of all their jobs ranking by the user's current usage.
   */
  public static List<ScoredTask> cumulative(Collection<Task> tasks, Shares shares) {
    List<ScoredTask> out = new ArrayList<>(tasks.size());
    for (Map.Entry<String, List<Task>> e : byUser(tasks).entrySet()) {
      Share share = shares.of(e.getKey());
      double cpus = 0;
      double mem = 0;
      double gpus = 0;
      for (Task t : e.getValue()) {
        cpus += t.resources().cpus();
        mem += t.resources().memMib();
        gpus += t.resources().gpus();
        double score = Math.max(cpus / share.cpus(), mem / share.memMib());
        if (share.gpus() > 0) {
          score = Math.max(score, gpus / share.gpus());
        }
        out.add(new ScoredTask(t, score));
      }
    }
    out.sort(MERGE);
    return out;
  }

  /**
   * Plain (non-cumulative) DRF: every task of a user scores the user's dominant share of the
   * cluster from what they run now. Users running little go first with their whole queue.
   */
  public static List<ScoredTask> drf(Collection<Task> tasks, Resources capacity) {
    Map<String, List<Task>> users = byUser(tasks);
    List<ScoredTask> out = new ArrayList<>(tasks.size());
    for (Map.Entry<String, List<Task>> e : users.entrySet()) {
      Resources running = Resources.ZERO;
      for (Task t : e.getValue()) {
        if (t.running()) {
          running = running.plus(t.resources());
        }
      }
      double share = dominantShare(running, capacity);
      for (Task t : e.getValue()) {
        out.add(new ScoredTask(t, share));
      }
    }
    out.sort(MERGE);
    return out;
  }

  /** First come, first served: running tasks, then pending ones by submission; score = rank. */
  public static List<ScoredTask> fcfs(Collection<Task> tasks) {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(
        Comparator.comparing((Task t) -> !t.running())
            .thenComparingLong(Task::submitMicros)
            .thenComparing(Task::uuid));
    List<ScoredTask> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      out.add(new ScoredTask(sorted.get(i), i));
    }
    return out;
  }

  /** The largest fraction of the cluster's capacity that {@code used} takes of any resource. */
  public static double dominantShare(Resources used, Resources capacity) {
    double s = 0;
    if (capacity.milliCpus() > 0) {
      s = Math.max(s, (double) used.milliCpus() / capacity.milliCpus());
    }
    if (capacity.memMib() > 0) {
      s = Math.max(s, (double) used.memMib() / capacity.memMib());
    }
    if (capacity.gpus() > 0) {
      s = Math.max(s, (double) used.gpus() / capacity.gpus());
    }
    return s;
  }

  private static Map<String, List<Task>> byUser(Collection<Task> tasks) {
    Map<String, List<Task>> users = new HashMap<>();
    for (Task t : tasks) {
      users.computeIfAbsent(t.user(), u -> new ArrayList<>()).add(t);
    }
    users.values().forEach(l -> l.sort(USER_ORDER));
    return users;
  }
}
