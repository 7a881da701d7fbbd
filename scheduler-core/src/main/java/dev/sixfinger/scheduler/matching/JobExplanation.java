package dev.sixfinger.scheduler.matching;

import java.util.List;

/**
 * Why a job is where it is, in words, with the kind of reason so that tests and the console can act
 * on it.
 *
 * @param hosts the hosts the reason is about (the largest free one, the reserved ones, ...)
 */
public record JobExplanation(String uuid, Kind kind, String message, List<String> hosts) {
  public enum Kind {
    UNKNOWN_JOB,
    NOT_WAITING,
    OVER_QUOTA,
    NO_HOSTS,
    CONSTRAINTS_EXCLUDE_ALL,
    PREVIOUSLY_FAILED,
    ALL_CORDONED_OR_DRAINING,
    NOT_ENOUGH_MEMORY,
    NOT_ENOUGH_CPUS,
    NOT_ENOUGH_GPUS,
    NO_SINGLE_HOST,
    RESERVED_FOR_OTHER,
    SCHEDULABLE
  }

  public JobExplanation {
    hosts = List.copyOf(hosts);
  }
}
