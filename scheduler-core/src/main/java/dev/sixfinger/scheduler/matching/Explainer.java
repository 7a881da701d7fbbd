package dev.sixfinger.scheduler.matching;

import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.JobExplanation.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Explains a waiting job by narrowing the hosts step by step, as the matcher filters them:
 * constraints, hosts it failed on, health, free resources, reservations. The first step that leaves
 * no host is the reason. It scans every host, which is fine for one job on demand.
 */
public final class Explainer {
  private Explainer() {}

  /**
   * Explains why {@code status} waits.
   *
   * @param overQuota the quota the job breaks, in words, or null
   * @param placeable whether a host takes new work (health)
   * @param reservations host to the uuid of the job it is reserved for
   */
  public static JobExplanation explain(
      JobStatus status,
      String overQuota,
      Collection<Host> hosts,
      Predicate<String> placeable,
      Map<String, String> reservations) {
    Job job = status.job();
    String uuid = job.uuid();
    if (status.state() != JobState.WAITING) {
      String where = status.activeInstance() != null ? " on " + status.activeInstance().host() : "";
      return new JobExplanation(
          uuid, Kind.NOT_WAITING, "job is " + status.state().wireName() + where, List.of());
    }
    if (overQuota != null) {
      return new JobExplanation(uuid, Kind.OVER_QUOTA, "over quota: " + overQuota, List.of());
    }
    if (hosts.isEmpty()) {
      return new JobExplanation(uuid, Kind.NO_HOSTS, "the cluster has no hosts", List.of());
    }
    List<Host> matching = new ArrayList<>();
    for (Host h : hosts) {
      if (job.constraints().stream().allMatch(c -> c.test(h.attributes()))) {
        matching.add(h);
      }
    }
    if (matching.isEmpty()) {
      return new JobExplanation(
          uuid,
          Kind.CONSTRAINTS_EXCLUDE_ALL,
          "constraints " + job.constraints() + " exclude all " + hosts.size() + " hosts",
          List.of());
    }
    Set<String> failed = status.failedHosts();
    List<Host> novel = new ArrayList<>();
    for (Host h : matching) {
      if (!failed.contains(h.name())) {
        novel.add(h);
      }
    }
    if (novel.isEmpty()) {
      return new JobExplanation(
          uuid,
          Kind.PREVIOUSLY_FAILED,
          "previously failed on every host that matches its constraints: " + names(matching),
          names(matching));
    }
    List<Host> healthy = new ArrayList<>();
    for (Host h : novel) {
      if (placeable.test(h.name())) {
        healthy.add(h);
      }
    }
    if (healthy.isEmpty()) {
      return new JobExplanation(
          uuid,
          Kind.ALL_CORDONED_OR_DRAINING,
          "all " + novel.size() + " hosts it could use are cordoned or draining: " + names(novel),
          names(novel));
    }
    Resources need = job.resources();
    Host maxMem = null;
    Host maxCpu = null;
    Host maxGpu = null;
    List<Host> fitting = new ArrayList<>();
    for (Host h : healthy) {
      Resources f = h.free();
      if (maxMem == null || f.memMib() > maxMem.free().memMib()) {
        maxMem = h;
      }
      if (maxCpu == null || f.milliCpus() > maxCpu.free().milliCpus()) {
        maxCpu = h;
      }
      if (maxGpu == null || f.gpus() > maxGpu.free().gpus()) {
        maxGpu = h;
      }
      if (f.covers(need)) {
        fitting.add(h);
      }
    }
    String scope = healthy.size() + " healthy host(s) it could use";
    if (maxMem.free().memMib() < need.memMib()) {
      return new JobExplanation(
          uuid,
          Kind.NOT_ENOUGH_MEMORY,
          "no host with enough memory: needs "
              + need.memMib()
              + " MiB, the largest free among "
              + scope
              + " is "
              + maxMem.free().memMib()
              + " MiB on "
              + maxMem.name(),
          List.of(maxMem.name()));
    }
    if (maxCpu.free().milliCpus() < need.milliCpus()) {
      return new JobExplanation(
          uuid,
          Kind.NOT_ENOUGH_CPUS,
          "no host with enough cpus: needs "
              + need.cpus()
              + ", the largest free among "
              + scope
              + " is "
              + maxCpu.free().cpus()
              + " on "
              + maxCpu.name(),
          List.of(maxCpu.name()));
    }
    if (maxGpu.free().gpus() < need.gpus()) {
      return new JobExplanation(
          uuid,
          Kind.NOT_ENOUGH_GPUS,
          "no host with enough gpus: needs "
              + need.gpus()
              + ", the largest free among "
              + scope
              + " is "
              + maxGpu.free().gpus()
              + " on "
              + maxGpu.name(),
          List.of(maxGpu.name()));
    }
    if (fitting.isEmpty()) {
      return new JobExplanation(
          uuid,
          Kind.NO_SINGLE_HOST,
          "no single host has "
              + need
              + " free at once; most memory free: "
              + maxMem.name()
              + " ("
              + maxMem.free()
              + "), most cpus free: "
              + maxCpu.name()
              + " ("
              + maxCpu.free()
              + ")",
          List.of(maxMem.name(), maxCpu.name()));
    }
    List<String> open = new ArrayList<>();
    List<String> reservedFor = new ArrayList<>();
    for (Host h : fitting) {
      String owner = reservations.get(h.name());
      if (owner == null || owner.equals(uuid)) {
        open.add(h.name());
      } else {
        reservedFor.add(h.name() + " (for job " + owner + ")");
      }
    }
    if (open.isEmpty()) {
      return new JobExplanation(
          uuid,
          Kind.RESERVED_FOR_OTHER,
          "the hosts with room are reserved for other jobs after preemption: " + reservedFor,
          names(fitting));
    }
    return new JobExplanation(
        uuid,
        Kind.SCHEDULABLE,
        "fits on " + open.size() + " host(s), e.g. " + open.get(0) + "; placed at the next cycle",
        open.subList(0, Math.min(10, open.size())));
  }

  private static List<String> names(List<Host> hosts) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(20, hosts.size()); i++) {
      out.add(hosts.get(i).name());
    }
    return out;
  }
}
