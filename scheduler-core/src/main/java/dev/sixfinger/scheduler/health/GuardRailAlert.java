package dev.sixfinger.scheduler.health;

/**
 * Automation wanted to take a host out but a guard-rail held it back: when many hosts look bad at
 * once, the workload is the likely cause, and removing hosts would only make it worse. The wiring
 * publishes it as an alert.
 *
 * @param kind {@code max-fraction} or {@code max-rate}
 */
public record GuardRailAlert(
    String kind,
    String host,
    String rule,
    String action,
    String message,
    long timeMicros,
    int automatedOut,
    int hosts,
    int removedLastMinute) {
  public static final String MAX_FRACTION = "max-fraction";
  public static final String MAX_RATE = "max-rate";

  /** Stable per guard-rail and host, for deduplication by the alerting module. */
  public String fingerprint() {
    return "scheduler-guard-rail/" + kind + "/" + host;
  }
}
