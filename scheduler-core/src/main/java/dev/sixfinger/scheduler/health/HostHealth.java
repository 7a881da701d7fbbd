package dev.sixfinger.scheduler.health;

import dev.sixfinger.core.record.HealthRecord;

/**
 * What the scheduler knows of one host's health.
 *
 * @param cause what put the host in its state: {@code automation}, {@code override}, or, for a
 *     healthy host, why it came back ({@code evidence-cleared}, {@code record-expired}, {@code
 *     override-expired}, {@code override-cleared}) or {@code initial}
 * @param detail words on the cause (rule and reason, or the override's author and reason)
 * @param drainDeadlineMicros when running work is stopped; 0 unless draining
 * @param record the latest automated record, expired or not; null if none
 * @param override the operator's override, null if none
 * @param guardRail the guard-rail currently holding automation back, null if none
 */
public record HostHealth(
    String host,
    HealthState state,
    String cause,
    String detail,
    long sinceMicros,
    long drainDeadlineMicros,
    HealthRecord record,
    HostOverride override,
    GuardRailAlert guardRail) {

  public static HostHealth initial(String host) {
    return new HostHealth(host, HealthState.HEALTHY, "initial", "", 0, 0, null, null, null);
  }

  public boolean outByAutomation() {
    return state != HealthState.HEALTHY && "automation".equals(cause);
  }

  public HostHealth withRecord(HealthRecord r) {
    return new HostHealth(
        host, state, cause, detail, sinceMicros, drainDeadlineMicros, r, override, guardRail);
  }

  public HostHealth withOverride(HostOverride o) {
    return new HostHealth(
        host, state, cause, detail, sinceMicros, drainDeadlineMicros, record, o, guardRail);
  }

  public HostHealth withGuardRail(GuardRailAlert g) {
    return new HostHealth(
        host, state, cause, detail, sinceMicros, drainDeadlineMicros, record, override, g);
  }

  public HostHealth withState(HealthState s, String c, String d, long since, long deadline) {
    return new HostHealth(host, s, c, d, since, deadline, record, override, null);
  }
}
