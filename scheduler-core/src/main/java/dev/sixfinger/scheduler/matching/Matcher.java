package dev.sixfinger.scheduler.matching;

import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.ranking.Quotas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Places ranked jobs on hosts, best fit: each job goes to the fitting host with the least leftover
 * of the job's dominant resource, so that large holes stay free for large jobs. A job that fits
 * nowhere is skipped and does not block the jobs behind it.
 *
 * <p>Cost is about O(jobs × log hosts): hosts sit in buckets by free memory (1 GiB) and by free
 * cpus (1 cpu), each bucket sorted by the other resource, so the smallest fitting host is found by
 * ceiling lookups (none at all when no host has enough free of one resource); constraints are
 * checked only on candidates. Shapes that fit nowhere are remembered, so a long queue of jobs that
 * cannot fit costs one comparison each.
 */
public final class Matcher {
  private static final long MEM_BUCKET = 1024;
  private static final long CPU_BUCKET = 1000;
  private static final int MAX_FAILED_SHAPES = 256;

  /**
   * A job to place.
   *
   * @param avoidHosts hosts where the job already failed
   * @param reservedHost a host the rebalancer freed for this job, or null
   */
  public record Request(Job job, Set<String> avoidHosts, String reservedHost) {}

  public record Placement(String jobUuid, String host) {}

  /** The placements, in rank order, and for each job left waiting why, in words. */
  public record Result(List<Placement> placements, Map<String, String> skipped) {}

  private Matcher() {}

  /**
   * Places {@code ranked} jobs, in order, on {@code hosts}.
   *
   * @param placeable whether a host may take new work (health)
   * @param reservations host to the uuid of the job it is reserved for
   * @param quota counts placements against users' quotas
   */
  public static Result match(
      List<Request> ranked,
      Collection<Host> hosts,
      Predicate<String> placeable,
      Map<String, String> reservations,
      Quotas.Tracker quota) {
    Index index = new Index();
    Map<String, Slot> reserved = new HashMap<>();
    long totalMem = 0;
    long totalCpu = 0;
    int id = 0;
    for (Host h : hosts) {
      if (!placeable.test(h.name())) {
        continue;
      }
      Slot s = new Slot(id++, h);
      totalMem += h.capacity().memMib();
      totalCpu += h.capacity().milliCpus();
      if (reservations.containsKey(h.name())) {
        reserved.put(h.name(), s);
      } else {
        index.add(s);
      }
    }
    List<Placement> placements = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    List<Resources> failedShapes = new ArrayList<>();
    for (Request r : ranked) {
      Job job = r.job();
      Resources need = job.resources();
      String overQuota = quota.exceeded(job.user(), need);
      if (overQuota != null) {
        skipped.put(job.uuid(), "over quota: " + overQuota);
        continue;
      }
      Slot chosen = null;
      if (r.reservedHost() != null) {
        Slot s = reserved.get(r.reservedHost());
        if (s != null
            && job.uuid().equals(reservations.get(r.reservedHost()))
            && s.fits(need)
            && s.accepts(job, r.avoidHosts())) {
          chosen = s;
        }
      }
      boolean simple = job.constraints().isEmpty() && r.avoidHosts().isEmpty();
      if (chosen == null && !(simple && dominated(need, failedShapes))) {
        chosen = index.find(job, need, r.avoidHosts(), totalMem, totalCpu);
        if (chosen == null && simple && failedShapes.size() < MAX_FAILED_SHAPES) {
          failedShapes.add(need);
        }
      }
      if (chosen == null) {
        skipped.put(job.uuid(), "no fitting host this cycle");
        continue;
      }
      boolean inIndex = !reserved.containsKey(chosen.name);
      if (inIndex) {
        index.remove(chosen);
      }
      chosen.take(need);
      if (inIndex) {
        index.add(chosen);
      }
      quota.add(job.user(), need);
      placements.add(new Placement(job.uuid(), chosen.name));
    }
    return new Result(placements, skipped);
  }

  private static boolean dominated(Resources need, List<Resources> failed) {
    for (Resources f : failed) {
      if (need.covers(f)) {
        return true;
      }
    }
    return false;
  }

  /** A host's free resources during a cycle; mutable, so it leaves every set before it changes. */
  private static final class Slot {
    final int id;
    final String name;
    final Map<String, String> attributes;
    long mem;
    long cpu;
    int gpus;

    Slot(int id, Host h) {
      this.id = id;
      this.name = h.name();
      this.attributes = h.attributes();
      Resources free = h.free();
      this.mem = free.memMib();
      this.cpu = free.milliCpus();
      this.gpus = free.gpus();
    }

    Slot(long mem, long cpu, int gpus) {
      this.id = -1;
      this.name = "";
      this.attributes = Map.of();
      this.mem = mem;
      this.cpu = cpu;
      this.gpus = gpus;
    }

    boolean fits(Resources need) {
      return mem >= need.memMib() && cpu >= need.milliCpus() && gpus >= need.gpus();
    }

    boolean accepts(Job job, Set<String> avoid) {
      if (avoid.contains(name)) {
        return false;
      }
      for (Constraint c : job.constraints()) {
        if (!c.test(attributes)) {
          return false;
        }
      }
      return true;
    }

    void take(Resources need) {
      mem -= need.memMib();
      cpu -= need.milliCpus();
      gpus -= need.gpus();
    }

    boolean usable() {
      return mem > 0 && cpu > 0;
    }
  }

  private static final Comparator<Slot> BY_CPU_THEN_MEM =
      Comparator.comparingLong((Slot s) -> s.cpu)
          .thenComparingLong(s -> s.mem)
          .thenComparingInt(s -> s.id);
  private static final Comparator<Slot> BY_MEM_THEN_CPU =
      Comparator.comparingLong((Slot s) -> s.mem)
          .thenComparingLong(s -> s.cpu)
          .thenComparingInt(s -> s.id);
  private static final Comparator<Slot> BY_GPU =
      Comparator.comparingInt((Slot s) -> s.gpus)
          .thenComparingLong(s -> s.mem)
          .thenComparingLong(s -> s.cpu)
          .thenComparingInt(s -> s.id);

  /** Buckets by free memory and by free cpus, plus the hosts with free gpus. */
  private static final class Index {
    // Memory buckets hold slots ordered by cpus, and cpu buckets by memory, so that a ceiling
    // lookup inside a bucket skips hosts short of the other resource.
    final TreeMap<Long, TreeSet<Slot>> byMem = new TreeMap<>();
    final TreeMap<Long, TreeSet<Slot>> byCpu = new TreeMap<>();
    final TreeSet<Slot> withGpus = new TreeSet<>(BY_GPU);

    void add(Slot s) {
      if (!s.usable()) {
        return;
      }
      byMem.computeIfAbsent(s.mem / MEM_BUCKET, k -> new TreeSet<>(BY_CPU_THEN_MEM)).add(s);
      byCpu.computeIfAbsent(s.cpu / CPU_BUCKET, k -> new TreeSet<>(BY_MEM_THEN_CPU)).add(s);
      if (s.gpus > 0) {
        withGpus.add(s);
      }
    }

    void remove(Slot s) {
      if (!s.usable()) {
        return;
      }
      removeFrom(byMem, s.mem / MEM_BUCKET, s);
      removeFrom(byCpu, s.cpu / CPU_BUCKET, s);
      withGpus.remove(s);
    }

    private static void removeFrom(Map<Long, ? extends Set<Slot>> buckets, long key, Slot s) {
      Set<Slot> b = buckets.get(key);
      b.remove(s);
      if (b.isEmpty()) {
        buckets.remove(key);
      }
    }

    Slot find(Job job, Resources need, Set<String> avoid, long totalMem, long totalCpu) {
      if (need.gpus() > 0) {
        for (Slot s : withGpus.tailSet(new Slot(0, 0, need.gpus()), true)) {
          if (s.fits(need) && s.accepts(job, avoid)) {
            return s;
          }
        }
        return null;
      }
      // No host has as much of one resource free as the job needs: once a cycle has used up most
      // cpus (or memory), most of the jobs left fail here instead of visiting every bucket.
      if (byMem.isEmpty()
          || byMem.lastKey() < need.memMib() / MEM_BUCKET
          || byCpu.lastKey() < need.milliCpus() / CPU_BUCKET) {
        return null;
      }
      // Best fit on the job's dominant resource relative to the cluster.
      boolean memDominant =
          totalCpu == 0
              || (double) need.memMib() / Math.max(1, totalMem)
                  >= (double) need.milliCpus() / totalCpu;
      if (memDominant) {
        Slot probe = new Slot(0, need.milliCpus(), 0);
        for (TreeSet<Slot> b : byMem.tailMap(need.memMib() / MEM_BUCKET, true).values()) {
          for (Slot s = b.ceiling(probe); s != null; s = b.higher(s)) {
            if (s.fits(need) && s.accepts(job, avoid)) {
              return s;
            }
          }
        }
      } else {
        Slot probe = new Slot(need.memMib(), 0, 0);
        for (TreeSet<Slot> b : byCpu.tailMap(need.milliCpus() / CPU_BUCKET, true).values()) {
          for (Slot s = b.ceiling(probe); s != null; s = b.higher(s)) {
            if (s.fits(need) && s.accepts(job, avoid)) {
              return s;
            }
          }
        }
      }
      return null;
    }
  }
}
