package dev.sixfinger.server.scheduler;

import java.util.List;

/** A request the scheduler cannot accept; HTTP 400 with every violation. */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> violations;

  public BadRequestException(List<String> violations) {
    super(String.join("; ", violations));
    this.violations = List.copyOf(violations);
  }

  public BadRequestException(String violation) {
    this(List.of(violation));
  }

  public List<String> violations() {
    return violations;
  }
}
