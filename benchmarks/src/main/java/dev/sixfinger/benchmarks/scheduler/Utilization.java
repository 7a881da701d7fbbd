package dev.sixfinger.benchmarks.scheduler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the cluster holds after a cycle: the fraction of all cpus and memory allocated (running jobs
 * plus the cycle's placements) and the pending jobs placed. {@link #of} also checks the placements:
 * every job is a pending one, every host exists and meets the job's constraint, and no host ends
 * over its capacity in cpus or memory.
 */
public record Utilization(
    double cpuBefore, double memBefore, double cpu, double mem, int placed, int pending) {

  public static Utilization of(SchedulerWorkload w, Map<String, String> placements) {
    Map<String, long[]> used = new HashMap<>();
    long capCpu = 0;
    long capMem = 0;
    for (SchedulerWorkload.HostSpec h : w.hosts()) {
      capCpu += h.milliCpus();
      capMem += h.memMib();
    }
    long cpu = 0;
    long mem = 0;
    for (SchedulerWorkload.Running r : w.running()) {
      long[] u = used.computeIfAbsent(r.host(), k -> new long[2]);
      u[0] += r.job().milliCpus();
      u[1] += r.job().memMib();
      cpu += r.job().milliCpus();
      mem += r.job().memMib();
    }
    double cpuBefore = (double) cpu / capCpu;
    double memBefore = (double) mem / capMem;
    Set<String> seen = new HashSet<>();
    for (SchedulerWorkload.JobSpec j : w.pending()) {
      String host = placements.get(j.uuid());
      if (host == null) {
        continue;
      }
      seen.add(j.uuid());
      SchedulerWorkload.HostSpec h = w.host(host);
      if (h == null) {
        throw new IllegalStateException(j.uuid() + " placed on unknown host " + host);
      }
      if (j.constraint() != null && !j.constraint().test(h.attributes())) {
        throw new IllegalStateException(j.uuid() + " placed against its constraint on " + host);
      }
      long[] u = used.computeIfAbsent(host, k -> new long[2]);
      u[0] += j.milliCpus();
      u[1] += j.memMib();
      if (u[0] > h.milliCpus() || u[1] > h.memMib()) {
        throw new IllegalStateException(
            "host " + host + " over-committed: " + u[0] + " mcpus, " + u[1] + " MiB");
      }
      cpu += j.milliCpus();
      mem += j.memMib();
    }
    if (seen.size() != placements.size()) {
      throw new IllegalStateException("placements name jobs that are not pending");
    }
    return new Utilization(
        cpuBefore,
        memBefore,
        (double) cpu / capCpu,
        (double) mem / capMem,
        seen.size(),
        w.pending().size());
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "cpus %.1f%% -> %.1f%%, mem %.1f%% -> %.1f%%, %,d of %,d pending jobs placed",
        100 * cpuBefore,
        100 * cpu,
        100 * memBefore,
        100 * mem,
        placed,
        pending);
  }
}
