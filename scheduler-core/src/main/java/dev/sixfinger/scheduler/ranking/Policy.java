package dev.sixfinger.scheduler.ranking;

/** How pending work is ordered. */
public enum Policy {
  /** First come, first served: submission order, whoever the user. */
  FCFS,
  /** Plain DRF: users ordered by the dominant share of what they run now, not what they queue. */
  DRF,
  /** Cook's cumulative dominant resource share over running, then pending, tasks. */
  CUMULATIVE
}
