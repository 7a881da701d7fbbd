package dev.sixfinger.core.record;

/** What the engine emits: an alert transition or the health of a host. */
public sealed interface EngineRecord permits AlertRecord, HealthRecord {
  /** The Kafka topic the record belongs to. */
  String topic();

  /** The Kafka key: the alert fingerprint, or the host. */
  String key();

  /** The engine time at which it was emitted, in microseconds. */
  long timeMicros();
}
