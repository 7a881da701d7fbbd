package dev.sixfinger.scheduler;

import dev.sixfinger.scheduler.health.HealthConfig;
import dev.sixfinger.scheduler.ranking.Policy;
import dev.sixfinger.scheduler.ranking.Quotas;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.ranking.Shares;
import dev.sixfinger.scheduler.rebalancer.RebalancerConfig;

/**
 * How the scheduler ranks, limits, preempts and treats host health.
 *
 * @param reservationTtlMicros a host reserved by preemption is released if its job has not been
 *     placed there by then, so that a reservation cannot keep a host idle forever
 */
public record SchedulerConfig(
    Policy policy,
    Shares shares,
    Quotas quotas,
    RebalancerConfig rebalancer,
    HealthConfig health,
    long reservationTtlMicros) {

  /** Cumulative share with a uniform share of 100 cpus and 400 GiB, no quotas, no preemption. */
  public static SchedulerConfig defaults() {
    return new SchedulerConfig(
        Policy.CUMULATIVE,
        Shares.uniform(new Share(100, 400 * 1024, 0)),
        Quotas.unlimited(),
        RebalancerConfig.OFF,
        HealthConfig.DEFAULTS,
        5 * HealthConfig.MINUTE_MICROS);
  }

  public SchedulerConfig withPolicy(Policy p) {
    return new SchedulerConfig(p, shares, quotas, rebalancer, health, reservationTtlMicros);
  }

  public SchedulerConfig withShares(Shares s) {
    return new SchedulerConfig(policy, s, quotas, rebalancer, health, reservationTtlMicros);
  }

  public SchedulerConfig withQuotas(Quotas q) {
    return new SchedulerConfig(policy, shares, q, rebalancer, health, reservationTtlMicros);
  }

  public SchedulerConfig withRebalancer(RebalancerConfig r) {
    return new SchedulerConfig(policy, shares, quotas, r, health, reservationTtlMicros);
  }

  public SchedulerConfig withHealth(HealthConfig h) {
    return new SchedulerConfig(policy, shares, quotas, rebalancer, h, reservationTtlMicros);
  }
}
