package dev.sixfinger.benchmarks.endtoend;

/**
 * What happened to one probe, on the {@link System#nanoTime()} scale; {@link ProbeTracker#MISSING}
 * where it did not happen.
 *
 * @param error the gateway's error if it answered ok=false (or the client's, if the call failed)
 * @param eventRecordNanos the Kafka timestamp of the probe's record in sixfinger.events: when the
 *     gateway's producer sent it (millisecond precision)
 * @param alertRecordNanos the Kafka timestamp of the firing alert: when the engine emitted it,
 *     within its transaction (millisecond precision)
 * @param uncommittedSeenNanos when a read_uncommitted consumer of sixfinger.events saw the probe's
 *     record (only with --uncommitted-floor)
 */
record ProbeTimes(
    int id,
    long sendNanos,
    long ackNanos,
    String error,
    long eventSeenNanos,
    long eventRecordNanos,
    long alertSeenNanos,
    long alertRecordNanos,
    long uncommittedSeenNanos) {

  boolean acked() {
    return ackNanos != ProbeTracker.MISSING && error == null;
  }

  boolean alerted() {
    return alertSeenNanos != ProbeTracker.MISSING;
  }

  boolean eventSeen() {
    return eventSeenNanos != ProbeTracker.MISSING;
  }

  /** Nothing more to wait for: refused, or acknowledged with both its event and alert seen. */
  boolean settled() {
    return error != null || (ackNanos != ProbeTracker.MISSING && alerted() && eventSeen());
  }
}
