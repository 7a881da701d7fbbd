package dev.sixfinger.scheduler.job;

/** Cook's job states: a job waits until an instance is placed, and completes exactly once. */
public enum JobState {
  WAITING,
  RUNNING,
  COMPLETED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
