package dev.sixfinger.scheduler.job;

/** No job, instance or host by that name; the HTTP layer answers 404. */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
