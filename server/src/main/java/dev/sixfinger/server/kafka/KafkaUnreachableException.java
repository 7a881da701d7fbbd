package dev.sixfinger.server.kafka;

/** The Kafka cluster did not answer in time, or its address cannot be resolved. */
public final class KafkaUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
