package dev.sixfinger.scheduler.job;

/** A job with this uuid was already submitted; the HTTP layer answers 409 Conflict. */
public final class DuplicateJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String uuid;

  public DuplicateJobException(String uuid) {
    super("job " + uuid + " already exists");
    this.uuid = uuid;
  }

  public String uuid() {
    return uuid;
  }
}
