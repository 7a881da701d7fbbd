package dev.sixfinger.scheduler.job;

import java.util.List;

/** A submission broke validation rules; the HTTP layer answers 400 with {@link #violations()}. */
public final class InvalidJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String uuid;
  private final List<String> violations;

  public InvalidJobException(String uuid, List<String> violations) {
    super("job " + uuid + ": " + String.join("; ", violations));
    this.uuid = uuid;
    this.violations = List.copyOf(violations);
  }

  public String uuid() {
    return uuid;
  }

  public List<String> violations() {
    return violations;
  }
}
