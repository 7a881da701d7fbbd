package dev.sixfinger.scheduler.ranking;

/** The most a user may run at once: cpus, memory and number of jobs. */
public record Quota(double cpus, long memMib, int count) {
  public static final Quota UNLIMITED =
      new Quota(Double.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);

  public Quota {
    if (cpus < 0 || memMib < 0 || count < 0) {
      throw new IllegalArgumentException(
          "quota values must not be negative, got cpus="
              + cpus
              + " mem="
              + memMib
              + " count="
              + count);
    }
  }
}
