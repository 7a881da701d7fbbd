package dev.sixfinger.server.scheduler;

/** The scheduler cannot answer now (Kafka unreachable, busy, stopping); HTTP 503, retry later. */
public final class SchedulerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchedulerUnavailableException(String message) {
    super(message);
  }

  public SchedulerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
