package dev.sixfinger.benchmarks.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fixed, seeded scheduling problem shaped like the simulator's seed workload: {@code hosts} hosts
 * of 64 cpus and 512 GiB in 20 racks, about 60% of them already running some jobs (up to 60% of the
 * host), and {@code jobs} pending jobs of 1 to 20 cpus and 10 to 100 GiB. Three heavy users own 70%
 * of the jobs, many light users (one per 250 jobs, at least 40) the rest; 5% of the jobs must run
 * in one rack and 3% must avoid one. Both schedulers under test get exactly these hosts, these
 * running jobs and these pending jobs, pending jobs in submission order.
 */
public final class SchedulerWorkload {
  public static final long HOST_MILLI_CPUS = 64_000;
  public static final long HOST_MEM_MIB = 512L * 1024;
  public static final int RACKS = 20;
  public static final long DEFAULT_SEED = 7;

  /** A host: name, capacity and attributes ({@code rack}). */
  public record HostSpec(
      String name, long milliCpus, long memMib, Map<String, String> attributes) {}

  /** A rack constraint: the job must ({@code equals}) or must not run in {@code rack}. */
  public record RackConstraint(boolean equals, String rack) {
    public boolean test(Map<String, String> attributes) {
      boolean same = rack.equals(attributes.get("rack"));
      return equals == same;
    }
  }

  /** A job; {@code constraint} is null for most. */
  public record JobSpec(
      String uuid, String user, long milliCpus, long memMib, RackConstraint constraint) {}

  /** A job already running on {@code host} before the cycle. */
  public record Running(JobSpec job, String host) {}

  private final List<HostSpec> hosts;
  private final List<Running> running;
  private final List<JobSpec> pending;
  private final Map<String, HostSpec> hostsByName;

  private SchedulerWorkload(List<HostSpec> hosts, List<Running> running, List<JobSpec> pending) {
    this.hosts = Collections.unmodifiableList(hosts);
    this.running = Collections.unmodifiableList(running);
    this.pending = Collections.unmodifiableList(pending);
    Map<String, HostSpec> byName = new HashMap<>();
    hosts.forEach(h -> byName.put(h.name(), h));
    this.hostsByName = Collections.unmodifiableMap(byName);
  }

  /** {@code "10000x1000"}: 10,000 pending jobs over 1,000 hosts, seed {@link #DEFAULT_SEED}. */
  public static SchedulerWorkload ofSize(String size) {
    String[] p = size.split("x", -1);
    if (p.length != 2) {
      throw new IllegalArgumentException("size must be JOBSxHOSTS, e.g. 10000x1000: " + size);
    }
    return generate(Integer.parseInt(p[0]), Integer.parseInt(p[1]), DEFAULT_SEED);
  }

  public static SchedulerWorkload generate(int jobs, int hostCount, long seed) {
    Random rnd = new Random(seed);
    int lightUsers = Math.max(40, jobs / 250);
    List<HostSpec> hosts = new ArrayList<>(hostCount);
    List<Running> running = new ArrayList<>();
    int runningId = 0;
    for (int i = 0; i < hostCount; i++) {
      HostSpec h =
          new HostSpec(
              "host-" + i, HOST_MILLI_CPUS, HOST_MEM_MIB, Map.of("rack", "r" + (i % RACKS)));
      hosts.add(h);
      if (rnd.nextDouble() < 0.6) {
        // Fill up to a random fraction (at most 60%) of the host with jobs of the same shapes.
        double fill = 0.6 * rnd.nextDouble();
        long cpu = 0;
        long mem = 0;
        while (true) {
          JobSpec j = job(rnd, "running-" + runningId, lightUsers, false);
          if (cpu + j.milliCpus() > fill * HOST_MILLI_CPUS
              || mem + j.memMib() > fill * HOST_MEM_MIB) {
            break;
          }
          runningId++;
          cpu += j.milliCpus();
          mem += j.memMib();
          running.add(new Running(j, h.name()));
        }
      }
    }
    List<JobSpec> pending = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      pending.add(job(rnd, "job-" + i, lightUsers, true));
    }
    return new SchedulerWorkload(hosts, running, pending);
  }

  private static JobSpec job(Random rnd, String uuid, int lightUsers, boolean constrained) {
    String user =
        rnd.nextDouble() < 0.7 ? "heavy-" + rnd.nextInt(3) : "light-" + rnd.nextInt(lightUsers);
    long milliCpus = 1000L * (1 + rnd.nextInt(20));
    long memMib = 1024L * (10 + rnd.nextInt(91));
    RackConstraint c = null;
    if (constrained) {
      int k = rnd.nextInt(100);
      if (k < 5) {
        c = new RackConstraint(true, "r" + rnd.nextInt(RACKS));
      } else if (k < 8) {
        c = new RackConstraint(false, "r" + rnd.nextInt(RACKS));
      }
    }
    return new JobSpec(uuid, user, milliCpus, memMib, c);
  }

  public List<HostSpec> hosts() {
    return hosts;
  }

  public HostSpec host(String name) {
    return hostsByName.get(name);
  }

  public List<Running> running() {
    return running;
  }

  public List<JobSpec> pending() {
    return pending;
  }

  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "%,d pending jobs over %,d hosts (%,d jobs already running)",
        pending.size(),
        hosts.size(),
        running.size());
  }
}
