package dev.sixfinger.scheduler.rebalancer;

/**
 * Cook's rebalancer parameters.
 *
 * @param safeDruThreshold tasks scoring at or below this are never preempted (within their share)
 * @param minDruDiff a victim must score at least this much more than the job it makes room for, so
 *     that preemption does not churn between nearly equal users
 * @param maxPreemption most tasks preempted in one cycle
 * @param maxJobsConsidered most starved jobs examined per cycle, to bound the cycle's cost
 */
public record RebalancerConfig(
    boolean enabled,
    double safeDruThreshold,
    double minDruDiff,
    int maxPreemption,
    int maxJobsConsidered) {
  /** Off: no preemption unless configured. */
  public static final RebalancerConfig OFF = new RebalancerConfig(false, 1.0, 1.0, 0, 0);

  public RebalancerConfig {
    if (safeDruThreshold < 0 || minDruDiff < 0 || maxPreemption < 0 || maxJobsConsidered < 0) {
      throw new IllegalArgumentException(
          "rebalancer settings must not be negative: safe-dru-threshold="
              + safeDruThreshold
              + " min-dru-diff="
              + minDruDiff
              + " max-preemption="
              + maxPreemption
              + " max-jobs-considered="
              + maxJobsConsidered);
    }
  }

  /** Cook's sample settings: safe-dru-threshold 1.0, min-dru-diff 1.0, max-preemption 64. */
  public static RebalancerConfig cook() {
    return new RebalancerConfig(true, 1.0, 1.0, 64, 100);
  }
}
