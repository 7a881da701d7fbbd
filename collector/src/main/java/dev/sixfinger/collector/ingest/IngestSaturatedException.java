package dev.sixfinger.collector.ingest;

/** The gateway holds as many unacknowledged bytes as it may; the sender should retry later. */
public final class IngestSaturatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IngestSaturatedException(String message) {
    super(message);
  }
}
