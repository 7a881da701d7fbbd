package dev.sixfinger.scheduler.state;

import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.health.GuardRailAlert;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostOverride;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import java.util.List;
import java.util.Map;

/**
 * Everything that changes the scheduler's state, as written to {@code sixfinger.scheduler}. The
 * state is a fold of these; see {@link SchedulerEventJson} for the JSON form.
 */
public sealed interface SchedulerEvent {
  long timeMicros();

  /** Kafka key: the job's uuid, or the host for host events. */
  String key();

  default String topic() {
    return Topics.SCHEDULER;
  }

  /** A host's capacity and attributes, from its agent. */
  record HostUpdated(
      long timeMicros, String host, Resources capacity, Map<String, String> attributes)
      implements SchedulerEvent {
    public HostUpdated {
      attributes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
    }

    @Override
    public String key() {
      return host;
    }
  }

  record JobSubmitted(long timeMicros, Job job) implements SchedulerEvent {
    @Override
    public String key() {
      return job.uuid();
    }
  }

  /** The job completes; its running instance fails with killed-by-user. */
  record JobKilled(long timeMicros, String uuid, String by) implements SchedulerEvent {
    @Override
    public String key() {
      return uuid;
    }
  }

  /** A placement: the executor on {@code host} should start {@code taskId}. */
  record InstanceStarted(long timeMicros, String uuid, String taskId, int attempt, String host)
      implements SchedulerEvent {
    @Override
    public String key() {
      return uuid;
    }
  }

  /** An instance changed state; {@code reason} is null unless it ended. */
  record InstanceUpdated(
      long timeMicros, String uuid, String taskId, InstanceState state, Reason reason)
      implements SchedulerEvent {
    @Override
    public String key() {
      return uuid;
    }
  }

  /**
   * The rebalancer preempts {@code victims} (task ids) on {@code host} and reserves the host for
   * job {@code forJob}; the victims fail with preempted-by-rebalancer.
   */
  record Preempted(long timeMicros, String host, String forJob, List<String> victims)
      implements SchedulerEvent {
    public Preempted {
      victims = List.copyOf(victims);
    }

    @Override
    public String key() {
      return host;
    }
  }

  /** A reservation ends unused (its job was placed elsewhere, ended, or it lapsed). */
  record ReservationReleased(long timeMicros, String host, String forJob, String why)
      implements SchedulerEvent {
    @Override
    public String key() {
      return host;
    }
  }

  /** The latest automated health record for a host, kept for explanations and expiry. */
  record HealthRecordReceived(long timeMicros, HealthRecord record) implements SchedulerEvent {
    @Override
    public String key() {
      return record.host();
    }
  }

  record HostHealthChanged(
      long timeMicros,
      String host,
      HealthState from,
      HealthState to,
      String cause,
      String detail,
      long drainDeadlineMicros)
      implements SchedulerEvent {
    @Override
    public String key() {
      return host;
    }
  }

  record GuardRailTripped(long timeMicros, GuardRailAlert alert) implements SchedulerEvent {
    @Override
    public String key() {
      return alert.host();
    }
  }

  record GuardRailReleased(long timeMicros, String host) implements SchedulerEvent {
    @Override
    public String key() {
      return host;
    }
  }

  record OverrideSet(long timeMicros, HostOverride override) implements SchedulerEvent {
    @Override
    public String key() {
      return override.host();
    }
  }

  record OverrideCleared(long timeMicros, String host, String author) implements SchedulerEvent {
    @Override
    public String key() {
      return host;
    }
  }
}
