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
 * Places ranked jobs on hosts, best fit on both resources: each job goes to the fitting host left
 * fullest afterwards, by the sum over cpus and memory of the fraction of the host left free (the
 * fitness of Fenzo's cpuMemBinPacker), so that large holes stay free for large jobs. A job that
 * fits no host as they are may still get one by moving one placement of the same cycle to another
 * host, which joins two holes too small for it ({@link Index#makeRoom}). A job that fits nowhere is
 * skipped and does not block the jobs behind it.
 *
 * <p>Cost is about O(jobs × log hosts) on clusters of similar hosts: hosts sit in buckets by free
 * memory (1 GiB) and by free cpus (1 cpu), each bucket sorted by the other resource; the best host
 * is found by branch and bound over the buckets of the resource with fewer of them, ceiling lookups
 * inside each, stopping where no bucket left can beat the best found (none at all when no host has
 * enough free of one resource); constraints are checked only on candidates. Shapes that fit nowhere
 * are remembered per set of constraints, so a long queue of jobs that cannot fit costs a few
 * comparisons each.
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
    int id = 0;
    for (Host h : hosts) {
      if (!placeable.test(h.name())) {
        continue;
      }
      Slot s = new Slot(id++, h);
      index.maxCpu = Math.max(index.maxCpu, s.capCpu);
      index.maxMem = Math.max(index.maxMem, s.capMem);
      if (reservations.containsKey(h.name())) {
        reserved.put(h.name(), s);
      } else {
        index.add(s);
      }
    }
    List<Placement> placements = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    // Shapes that fit nowhere, by the constraints of the jobs that failed (jobs avoiding hosts
    // are not remembered): a later job with the same constraints needing as much fails too.
    Map<List<Constraint>, List<Resources>> failed = new HashMap<>();
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
      List<Resources> failedShapes =
          r.avoidHosts().isEmpty()
              ? failed.computeIfAbsent(job.constraints(), c -> new ArrayList<>())
              : null;
      if (chosen == null && !dominated(need, failedShapes)) {
        chosen = index.find(job, need, r.avoidHosts(), null);
        if (chosen == null) {
          chosen = index.makeRoom(r, placements, failed);
        }
        if (chosen == null) {
          remember(need, failedShapes);
        }
      }
      if (chosen == null) {
        skipped.put(job.uuid(), "no fitting host this cycle");
        continue;
      }
      if (reserved.containsKey(chosen.name)) {
        chosen.take(need);
      } else {
        index.take(chosen, new Placed(r, placements.size()));
      }
      quota.add(job.user(), need);
      placements.add(new Placement(job.uuid(), chosen.name));
    }
    return new Result(placements, skipped);
  }

  private static void remember(Resources need, List<Resources> failedShapes) {
    if (failedShapes != null && failedShapes.size() < MAX_FAILED_SHAPES) {
      failedShapes.add(need);
    }
  }

  private static boolean dominated(Resources need, List<Resources> failed) {
    if (failed == null) {
      return false;
    }
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
    final long capCpu;
    final long capMem;
    long mem;
    long cpu;
    int gpus;
    // This cycle's placements here, which may still move to make room (see Index.makeRoom).
    final List<Placed> placed = new ArrayList<>(2);

    Slot(int id, Host h) {
      this.id = id;
      this.name = h.name();
      this.attributes = h.attributes();
      this.capCpu = h.capacity().milliCpus();
      this.capMem = h.capacity().memMib();
      Resources free = h.free();
      this.mem = free.memMib();
      this.cpu = free.milliCpus();
      this.gpus = free.gpus();
    }

    Slot(long mem, long cpu, int gpus) {
      this.id = -1;
      this.name = "";
      this.attributes = Map.of();
      this.capCpu = 0;
      this.capMem = 0;
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

    /**
     * What placing {@code need} here leaves free, as fractions of the host's capacity summed over
     * cpus and memory: the lower, the fuller the host on both resources afterwards (Fenzo's
     * cpuMemBinPacker maximises the same, as the mean of the fractions used).
     */
    double leftover(Resources need) {
      return (double) (cpu - need.milliCpus()) / capCpu + (double) (mem - need.memMib()) / capMem;
    }

    void take(Resources need) {
      mem -= need.memMib();
      cpu -= need.milliCpus();
      gpus -= need.gpus();
    }

    void give(Resources r) {
      mem += r.memMib();
      cpu += r.milliCpus();
      gpus += r.gpus();
    }

    boolean usable() {
      return mem > 0 && cpu > 0;
    }
  }

  /** A placement of this cycle: its request and its position in the result's placements. */
  private record Placed(Request request, int position) {
    Resources need() {
      return request.job().resources();
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
    // The largest capacities of the cycle's hosts, which bound a leftover fraction from below.
    long maxCpu;
    long maxMem;

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

    /** Places {@code p} on {@code s}, which is in the index, and remembers it as movable. */
    void take(Slot s, Placed p) {
      remove(s);
      s.take(p.need());
      add(s);
      s.placed.add(p);
    }

    /**
     * The best fitting host for {@code need} other than {@code exclude} (may be null): for gpu jobs
     * the one with the fewest free gpus, otherwise the least {@link Slot#leftover}.
     */
    Slot find(Job job, Resources need, Set<String> avoid, Slot exclude) {
      if (need.gpus() > 0) {
        for (Slot s : withGpus.tailSet(new Slot(0, 0, need.gpus()), true)) {
          if (s != exclude && s.fits(need) && s.accepts(job, avoid)) {
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
      // Walk the index with fewer buckets across a host; either finds the same best host.
      return maxCpu / CPU_BUCKET <= maxMem / MEM_BUCKET
          ? best(byCpu, CPU_BUCKET, need.milliCpus(), maxCpu, true, job, need, avoid, exclude)
          : best(byMem, MEM_BUCKET, need.memMib(), maxMem, false, job, need, avoid, exclude);
    }

    /**
     * The fitting host with the least {@link Slot#leftover}, found by branch and bound: buckets of
     * the primary resource in ascending order, each walked in ascending order of the other one from
     * the first host with enough of it. Dividing a leftover by the largest capacity instead of the
     * host's own bounds it from below, so a bucket (or the rest of one) is left as soon as even its
     * best conceivable host cannot beat the best found. Ties go to the first found, the host with
     * less of the primary resource left.
     */
    private Slot best(
        TreeMap<Long, TreeSet<Slot>> primary,
        long bucket,
        long needPrimary,
        double maxPrimary,
        boolean cpuPrimary,
        Job job,
        Resources need,
        Set<String> avoid,
        Slot exclude) {
      Slot probe = cpuPrimary ? new Slot(need.memMib(), 0, 0) : new Slot(0, need.milliCpus(), 0);
      long needOther = cpuPrimary ? need.memMib() : need.milliCpus();
      double maxOther = cpuPrimary ? maxMem : maxCpu;
      Slot best = null;
      double bestScore = Double.POSITIVE_INFINITY;
      for (Map.Entry<Long, TreeSet<Slot>> e = primary.ceilingEntry(needPrimary / bucket);
          e != null;
          e = primary.higherEntry(e.getKey())) {
        double primaryBound =
            (double) (Math.max(e.getKey() * bucket, needPrimary) - needPrimary) / maxPrimary;
        if (primaryBound >= bestScore) {
          break;
        }
        TreeSet<Slot> b = e.getValue();
        for (Slot s = b.ceiling(probe); s != null; s = b.higher(s)) {
          long other = cpuPrimary ? s.mem : s.cpu;
          if (primaryBound + (other - needOther) / maxOther >= bestScore) {
            break;
          }
          if (s != exclude && s.fits(need) && s.accepts(job, avoid)) {
            double score = s.leftover(need);
            if (score < bestScore) {
              best = s;
              bestScore = score;
            }
          }
        }
      }
      return best;
    }

    /**
     * For a job that fits no host as they are: a host that it would fit once one of this cycle's
     * placements there moves to another host (its best fit, by its own constraints), which joins
     * two holes too small for the job into one. Nothing has started yet, so the move costs nothing
     * and no job placed before loses its place. Makes the move and answers the host now holding
     * room for the job, or null (nothing moved).
     *
     * <p>Only hosts with some of both resources free (in the index) are candidates, and only those
     * short of the job by no more than the largest free amounts, since what moves must fit
     * elsewhere; shapes that cannot move anywhere join {@code failed}.
     */
    Slot makeRoom(
        Request r, List<Placement> placements, Map<List<Constraint>, List<Resources>> failed) {
      if (byMem.isEmpty()) {
        return null;
      }
      Resources need = r.job().resources();
      // What a moved placement may need at most: more than any host has free goes nowhere.
      long roomCpu = (byCpu.lastKey() + 1) * CPU_BUCKET - 1;
      long roomMem = (byMem.lastKey() + 1) * MEM_BUCKET - 1;
      int roomGpus = withGpus.isEmpty() ? 0 : withGpus.last().gpus;
      Slot probe = new Slot(need.memMib() - roomMem, 0, 0);
      for (Map.Entry<Long, TreeSet<Slot>> e =
              byCpu.ceilingEntry(Math.max(0, need.milliCpus() - roomCpu) / CPU_BUCKET);
          e != null;
          e = byCpu.higherEntry(e.getKey())) {
        TreeSet<Slot> bucket = e.getValue();
        for (Slot h = bucket.ceiling(probe); h != null; h = bucket.higher(h)) {
          long shortCpu = need.milliCpus() - h.cpu;
          int shortGpus = need.gpus() - h.gpus;
          if (h.placed.isEmpty()
              || shortCpu > roomCpu
              || shortGpus > roomGpus
              || !h.accepts(r.job(), r.avoidHosts())) {
            continue;
          }
          Slot room = moveOne(h, need, roomCpu, roomMem, roomGpus, placements, failed);
          if (room != null) {
            return room;
          }
        }
      }
      return null;
    }

    /** Moves one of this cycle's placements off {@code h} so that {@code need} fits there. */
    private Slot moveOne(
        Slot h,
        Resources need,
        long roomCpu,
        long roomMem,
        int roomGpus,
        List<Placement> placements,
        Map<List<Constraint>, List<Resources>> failed) {
      long shortCpu = need.milliCpus() - h.cpu;
      long shortMem = need.memMib() - h.mem;
      int shortGpus = need.gpus() - h.gpus;
      for (int i = 0; i < h.placed.size(); i++) {
        Placed p = h.placed.get(i);
        Resources k = p.need();
        Request kr = p.request();
        List<Resources> kFailed =
            kr.avoidHosts().isEmpty() ? failed.get(kr.job().constraints()) : null;
        if (k.milliCpus() < shortCpu
            || k.memMib() < shortMem
            || k.gpus() < shortGpus
            || k.milliCpus() > roomCpu
            || k.memMib() > roomMem
            || k.gpus() > roomGpus
            || dominated(k, kFailed)) {
          continue;
        }
        Slot to = find(kr.job(), k, kr.avoidHosts(), h);
        if (to == null) {
          if (!h.fits(k) && kr.avoidHosts().isEmpty()) {
            // No host but h could take k, and h cannot: k fits nowhere.
            remember(k, failed.computeIfAbsent(kr.job().constraints(), c -> new ArrayList<>()));
          }
          continue;
        }
        h.placed.remove(i);
        remove(h);
        h.give(k);
        add(h);
        take(to, p);
        placements.set(p.position(), new Placement(kr.job().uuid(), to.name));
        if (!need.covers(k)) {
          // Once the job is placed, h has more free of some resource than before: shapes
          // remembered as fitting nowhere that fit there now are forgotten.
          Resources left = new Resources(h.cpu, h.mem, h.gpus).minus(need);
          for (List<Resources> shapes : failed.values()) {
            shapes.removeIf(left::covers);
          }
        }
        return h;
      }
      return null;
    }
  }
}
