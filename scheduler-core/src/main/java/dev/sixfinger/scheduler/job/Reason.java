package dev.sixfinger.scheduler.job;

/**
 * Why an instance ended. The "mea culpa" reasons are the cluster's fault, not the job's (Cook's
 * term): they do not use up the job's retries, up to a per-reason limit so that a job that keeps
 * killing hosts still ends. A limit of -1 means unlimited.
 */
public enum Reason {
  NORMAL_EXIT("normal-exit", false, 0),
  NONZERO_EXIT("nonzero-exit", false, 0),
  KILLED_BY_USER("killed-by-user", false, 0),
  MAX_RUNTIME_EXCEEDED("max-runtime-exceeded", false, 0),
  MEMORY_LIMIT_EXCEEDED("memory-limit-exceeded", false, 0),
  LAUNCH_FAILED("launch-failed", true, 5),
  HOST_LOST("host-lost", true, 5),
  HEARTBEAT_LOST("heartbeat-lost", true, 5),
  // Preemption is our decision, never the job's fault; the rebalancer's own limits bound it.
  PREEMPTED("preempted-by-rebalancer", true, -1),
  DRAINED("drained", true, 10),
  UNKNOWN("unknown", false, 0);

  private final String code;
  private final boolean meaCulpa;
  private final int meaCulpaLimit;

  Reason(String code, boolean meaCulpa, int meaCulpaLimit) {
    this.code = code;
    this.meaCulpa = meaCulpa;
    this.meaCulpaLimit = meaCulpaLimit;
  }

  public String code() {
    return code;
  }

  public boolean meaCulpa() {
    return meaCulpa;
  }

  /** How many failures for this reason are forgiven per job; -1 is unlimited. */
  public int meaCulpaLimit() {
    return meaCulpaLimit;
  }

  public static Reason parse(String code) {
    for (Reason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown reason code '" + code + "'");
  }
}
