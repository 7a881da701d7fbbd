package dev.sixfinger.scheduler.job;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A job with its instances, immutable; the state folds events into new values. */
public record JobStatus(Job job, JobState state, List<Instance> instances, boolean killed) {
  public JobStatus {
    instances = List.copyOf(instances);
  }

  public static JobStatus submitted(Job job) {
    return new JobStatus(job, JobState.WAITING, List.of(), false);
  }

  public String uuid() {
    return job.uuid();
  }

  /** The instance holding resources, if any (at most one: a job runs one instance at a time). */
  public Instance activeInstance() {
    for (int i = instances.size() - 1; i >= 0; i--) {
      if (instances.get(i).active()) {
        return instances.get(i);
      }
    }
    return null;
  }

  public boolean succeeded() {
    return instances.stream().anyMatch(i -> i.state() == InstanceState.SUCCESS);
  }

  /**
   * Failures that use up retries: every failure except mea-culpa ones within their per-reason
   * limit.
   */
  public int countedFailures() {
    Map<Reason, Integer> forgiven = new EnumMap<>(Reason.class);
    int counted = 0;
    for (Instance i : instances) {
      if (i.state() != InstanceState.FAILED) {
        continue;
      }
      Reason r = i.reason() == null ? Reason.UNKNOWN : i.reason();
      int used = forgiven.getOrDefault(r, 0);
      if (r.meaCulpa() && (r.meaCulpaLimit() < 0 || used < r.meaCulpaLimit())) {
        forgiven.put(r, used + 1);
      } else {
        counted++;
      }
    }
    return counted;
  }

  /**
   * Hosts a retry must avoid: where an instance failed. Preemption is excluded because it says
   * nothing about the host, and avoiding it could leave a job nowhere to go on a small cluster.
   */
  public Set<String> failedHosts() {
    Set<String> hosts = new LinkedHashSet<>();
    for (Instance i : instances) {
      if (i.state() == InstanceState.FAILED && i.reason() != Reason.PREEMPTED) {
        hosts.add(i.host());
      }
    }
    return hosts;
  }

  public JobStatus withInstance(Instance updated) {
    List<Instance> next = new ArrayList<>(instances);
    boolean replaced = false;
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).taskId().equals(updated.taskId())) {
        next.set(i, updated);
        replaced = true;
      }
    }
    if (!replaced) {
      next.add(updated);
    }
    JobStatus s = new JobStatus(job, state, next, killed);
    return new JobStatus(job, s.derivedState(), next, killed);
  }

  public JobStatus killedNow() {
    return new JobStatus(job, JobState.COMPLETED, instances, true);
  }

  private JobState derivedState() {
    if (killed || succeeded()) {
      return JobState.COMPLETED;
    }
    if (activeInstance() != null) {
      return JobState.RUNNING;
    }
    return countedFailures() >= job.maxRetries() ? JobState.COMPLETED : JobState.WAITING;
  }
}
