package dev.sixfinger.benchmarks.endtoend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The latencies of the measured probes (nanosecond histograms). A probe that was acknowledged but
 * whose alert never arrived is a failure and is left out of the percentiles; so is the floor of a
 * probe whose event was never seen. An interval that came out negative (the floor consumer may see
 * a record before the gateway's ack reaches the client; record timestamps have millisecond
 * precision) is recorded as zero and counted.
 *
 * @param ackToAlert the end-to-end figure: ack to the firing alert seen by a read_committed
 *     consumer
 * @param ackToEvent the floor: ack to the probe's record seen by a read_committed consumer of
 *     sixfinger.events
 * @param eventToAlert per probe, what the engine adds to the floor
 * @param sendToAck the probe's own ingest: send to ok=true
 * @param ackToEmit ack to the engine's send of the alert (the alert record's timestamp): fetch,
 *     partition merge and processing in the engine
 * @param emitToVisible the alert's send to its sighting: waiting for the engine's transaction to
 *     commit, the commit, and the alert consumer's fetch
 * @param sendToAlert as ackToAlert, from the probe's send (what a client that does not wait for the
 *     ack sees)
 * @param sendToEvent as ackToEvent, from the probe's send: never negative, so its ratio to
 *     sendToAlert is defined even when the floor from the ack is zero
 * @param ackToUncommitted as ackToEvent, for a read_uncommitted consumer (empty unless asked for):
 *     the difference is the time records wait behind an open transaction in sixfinger.events (the
 *     engine's ticks)
 */
record ProbeStats(
    int probes,
    int acked,
    int refused,
    int alertMissing,
    int eventMissing,
    int eventBeforeAck,
    List<Integer> missingAlertIds,
    Histogram ackToAlert,
    Histogram ackToEvent,
    Histogram eventToAlert,
    Histogram sendToAck,
    Histogram ackToEmit,
    Histogram emitToVisible,
    Histogram sendToAlert,
    Histogram sendToEvent,
    Histogram ackToUncommitted) {

  private static final int MAX_IDS_LISTED = 20;

  static ProbeStats of(List<ProbeTimes> probes) {
    int acked = 0;
    int refused = 0;
    int alertMissing = 0;
    int eventMissing = 0;
    int eventBeforeAck = 0;
    List<Integer> missing = new java.util.ArrayList<>();
    Histogram ackToAlert = new Histogram(3);
    Histogram ackToEvent = new Histogram(3);
    Histogram eventToAlert = new Histogram(3);
    Histogram sendToAck = new Histogram(3);
    Histogram ackToEmit = new Histogram(3);
    Histogram emitToVisible = new Histogram(3);
    Histogram sendToAlert = new Histogram(3);
    Histogram sendToEvent = new Histogram(3);
    Histogram ackToUncommitted = new Histogram(3);
    for (ProbeTimes p : probes) {
      if (!p.acked()) {
        refused++;
        continue;
      }
      acked++;
      record(sendToAck, p.ackNanos() - p.sendNanos());
      if (p.uncommittedSeenNanos() != ProbeTracker.MISSING) {
        record(ackToUncommitted, p.uncommittedSeenNanos() - p.ackNanos());
      }
      if (p.eventSeen()) {
        long floor = p.eventSeenNanos() - p.ackNanos();
        if (floor < 0) {
          eventBeforeAck++;
        }
        record(ackToEvent, floor);
        record(sendToEvent, p.eventSeenNanos() - p.sendNanos());
      } else {
        eventMissing++;
      }
      if (p.alerted()) {
        record(ackToAlert, p.alertSeenNanos() - p.ackNanos());
        record(sendToAlert, p.alertSeenNanos() - p.sendNanos());
        record(ackToEmit, p.alertRecordNanos() - p.ackNanos());
        record(emitToVisible, p.alertSeenNanos() - p.alertRecordNanos());
        if (p.eventSeen()) {
          record(eventToAlert, p.alertSeenNanos() - p.eventSeenNanos());
        }
      } else {
        alertMissing++;
        if (missing.size() < MAX_IDS_LISTED) {
          missing.add(p.id());
        }
      }
    }
    return new ProbeStats(
        probes.size(),
        acked,
        refused,
        alertMissing,
        eventMissing,
        eventBeforeAck,
        List.copyOf(missing),
        ackToAlert,
        ackToEvent,
        eventToAlert,
        sendToAck,
        ackToEmit,
        emitToVisible,
        sendToAlert,
        sendToEvent,
        ackToUncommitted);
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(0, nanos));
  }

  /** Acknowledged probes whose alert never arrived, and refused probes: both fail the run. */
  int failures() {
    return alertMissing + refused;
  }

  /** A percentile in milliseconds, one decimal; NaN for an empty histogram. */
  static double ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return Double.NaN;
    }
    return Math.round(h.getValueAtPercentile(percentile) / 1e5) / 10.0;
  }

  /** p50, p90, p99, p99.9, max and mean in milliseconds (null when empty), and the count. */
  static Map<String, Object> summary(Histogram h) {
    boolean empty = h.getTotalCount() == 0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    m.put("p50Ms", empty ? null : ms(h, 50));
    m.put("p90Ms", empty ? null : ms(h, 90));
    m.put("p99Ms", empty ? null : ms(h, 99));
    m.put("p999Ms", empty ? null : ms(h, 99.9));
    m.put("maxMs", empty ? null : Math.round(h.getMaxValue() / 1e5) / 10.0);
    m.put("meanMs", empty ? null : Math.round(h.getMean() / 1e5) / 10.0);
    return m;
  }
}
