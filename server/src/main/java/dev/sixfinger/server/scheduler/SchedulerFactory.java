package dev.sixfinger.server.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.health.HealthConfig;
import dev.sixfinger.scheduler.ranking.Policy;
import dev.sixfinger.scheduler.ranking.Quota;
import dev.sixfinger.scheduler.ranking.Quotas;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.ranking.Shares;
import dev.sixfinger.scheduler.rebalancer.RebalancerConfig;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The {@code scheduler:} section; every default is in config/sixfinger.yml and the README. */
public class SchedulerFactory {
  /** Run the scheduler in this server (one per Kafka cluster and group: it is the only writer). */
  @JsonProperty private boolean enabled = true;

  /** Consumer group for the agents' capacity events, and the key of the scheduler's snapshot. */
  @JsonProperty @NotEmpty private String group = "sixfinger-scheduler";

  /** How often a scheduling cycle runs (expiries, drain deadlines, ranking, matching). */
  @JsonProperty @NotNull private Duration cycleInterval = Duration.seconds(1);

  /**
   * How often the whole state is saved to sixfinger.scheduler-state (the most a restart replays).
   */
  @JsonProperty @NotNull private Duration snapshotInterval = Duration.minutes(1);

  /** {@code cumulative} (Cook), {@code drf} or {@code fcfs}. */
  @JsonProperty @NotEmpty private String policy = "cumulative";

  /** Per-user shares; users without one get the {@code default} user's. */
  @JsonProperty @NotEmpty @Valid private Map<String, ShareFactory> shares = defaultShares();

  /** Per-user quotas; the {@code default} user's applies to users without one; none: unlimited. */
  @JsonProperty @NotNull @Valid private Map<String, QuotaFactory> quotas = new LinkedHashMap<>();

  /** Preemption; off unless this section is present. */
  @JsonProperty @Valid private RebalancerFactory rebalancer;

  /** Automation keeps at most this fraction of the hosts out of service (rounded down). */
  @JsonProperty
  @DecimalMin("0")
  @DecimalMax("1")
  private double maxUnhealthyFraction = 0.2;

  /** Automation takes at most this many hosts out in any minute. */
  @JsonProperty
  @Min(0)
  private int maxPerMinute = 5;

  /** How long work on a draining host may go on before it is stopped and requeued. */
  @JsonProperty @NotNull private Duration drainGrace = Duration.minutes(10);

  /** Rules whose health decisions are shown (GET /api/v1/hosts) but not applied. */
  @JsonProperty @NotNull private List<String> dryRunRules = new ArrayList<>();

  /** A host reserved by preemption is released if its job was not placed there by then. */
  @JsonProperty @NotNull private Duration reservationTtl = Duration.minutes(5);

  /**
   * How far back in sixfinger.events a group with no committed offsets starts reading the agents'
   * capacity events (agents repeat them every interval, so a few minutes find every host).
   */
  @JsonProperty @NotNull private Duration capacityLookback = Duration.minutes(5);

  /** How long an HTTP call waits for its turn and for Kafka before it is answered 503. */
  @JsonProperty @NotNull private Duration requestTimeout = Duration.seconds(30);

  /** Commands waiting for the scheduler thread; beyond that calls are answered 503. */
  @JsonProperty
  @Min(1)
  private int maxQueuedCommands = 10_000;

  private static Map<String, ShareFactory> defaultShares() {
    Map<String, ShareFactory> m = new LinkedHashMap<>();
    m.put(Shares.DEFAULT_USER, new ShareFactory());
    return m;
  }

  /** A user's share: cpus and memory (and gpus, 0 = gpus do not count). */
  public static class ShareFactory {
    @JsonProperty
    @DecimalMin(value = "0", inclusive = false)
    private double cpus = 100;

    @JsonProperty @NotNull private DataSize mem = DataSize.gibibytes(400);

    @JsonProperty
    @Min(0)
    private double gpus;

    Share toShare() {
      return new Share(cpus, mem.toMebibytes(), gpus);
    }
  }

  /** The most a user may run at once; a missing value is unlimited. */
  public static class QuotaFactory {
    @JsonProperty
    @DecimalMin("0")
    private Double cpus;

    @JsonProperty private DataSize mem;

    @JsonProperty
    @Min(0)
    private Integer count;

    Quota toQuota() {
      return new Quota(
          cpus == null ? Quota.UNLIMITED.cpus() : cpus,
          mem == null ? Quota.UNLIMITED.memMib() : mem.toMebibytes(),
          count == null ? Quota.UNLIMITED.count() : count);
    }
  }

  /** Cook's rebalancer settings. */
  public static class RebalancerFactory {
    @JsonProperty
    @DecimalMin("0")
    private double safeDruThreshold = 1.0;

    @JsonProperty
    @DecimalMin("0")
    private double minDruDiff = 1.0;

    @JsonProperty
    @Min(0)
    private int maxPreemptionsPerCycle = 64;

    @JsonProperty
    @Min(1)
    private int maxJobsConsidered = 100;

    RebalancerConfig toConfig() {
      return new RebalancerConfig(
          true, safeDruThreshold, minDruDiff, maxPreemptionsPerCycle, maxJobsConsidered);
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String group() {
    return group;
  }

  public java.time.Duration cycleInterval() {
    return java.time.Duration.ofMillis(Math.max(10, cycleInterval.toMilliseconds()));
  }

  public java.time.Duration snapshotInterval() {
    return java.time.Duration.ofMillis(Math.max(1000, snapshotInterval.toMilliseconds()));
  }

  public java.time.Duration capacityLookback() {
    return java.time.Duration.ofMillis(capacityLookback.toMilliseconds());
  }

  public java.time.Duration requestTimeout() {
    return java.time.Duration.ofMillis(Math.max(1, requestTimeout.toMilliseconds()));
  }

  public int maxQueuedCommands() {
    return maxQueuedCommands;
  }

  /**
   * The scheduler-core configuration.
   *
   * @throws IllegalArgumentException naming the key and what it accepts
   */
  public SchedulerConfig toConfig() {
    Policy p;
    try {
      p = Policy.valueOf(policy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "scheduler.policy must be cumulative, drf or fcfs, got '" + policy + "'", e);
    }
    if (!shares.containsKey(Shares.DEFAULT_USER)) {
      throw new IllegalArgumentException(
          "scheduler.shares must define the '"
              + Shares.DEFAULT_USER
              + "' user (the share of users without their own), e.g. default: {cpus: 100, mem:"
              + " 400GiB}");
    }
    Map<String, Share> s = new TreeMap<>();
    shares.forEach((user, f) -> s.put(user, f.toShare()));
    Map<String, Quota> q = new TreeMap<>();
    quotas.forEach((user, f) -> q.put(user, f.toQuota()));
    return new SchedulerConfig(
        p,
        new Shares(s),
        new Quotas(q),
        rebalancer == null ? RebalancerConfig.OFF : rebalancer.toConfig(),
        new HealthConfig(
            maxUnhealthyFraction,
            maxPerMinute,
            drainGrace.toMicroseconds(),
            Set.copyOf(dryRunRules)),
        reservationTtl.toMicroseconds());
  }
}
