package dev.sixfinger.benchmarks.endtoend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probes and when each was sent, acknowledged, seen in {@code sixfinger.events} and seen as a
 * firing alert in {@code sixfinger.alerts}, each stamped by the thread that saw it. Times are
 * {@link System#nanoTime()}; Kafka record timestamps (wall-clock milliseconds) are mapped onto the
 * same scale with {@link #nanosAt(long)}.
 */
final class ProbeTracker {
  static final String HOST_PREFIX = "probe-";
  private static final byte[] PREFIX_BYTES = HOST_PREFIX.getBytes(StandardCharsets.UTF_8);
  static final long MISSING = Long.MIN_VALUE;

  /** One probe; written by several threads, each field once. */
  static final class Probe {
    final int id;
    final boolean measured;
    final long sendNanos;
    volatile long ackNanos = MISSING;
    volatile String error;
    volatile long eventSeenNanos = MISSING;
    volatile long eventRecordNanos = MISSING;
    volatile long alertSeenNanos = MISSING;
    volatile long alertRecordNanos = MISSING;
    volatile long uncommittedSeenNanos = MISSING;

    Probe(int id, boolean measured, long sendNanos) {
      this.id = id;
      this.measured = measured;
      this.sendNanos = sendNanos;
    }

    ProbeTimes times() {
      return new ProbeTimes(
          id,
          sendNanos,
          ackNanos,
          error,
          eventSeenNanos,
          eventRecordNanos,
          alertSeenNanos,
          alertRecordNanos,
          uncommittedSeenNanos);
    }
  }

  private final ConcurrentHashMap<Integer, Probe> probes = new ConcurrentHashMap<>();
  private final long nanoOrigin;
  private final long wallOriginMillis;

  ProbeTracker() {
    this(System.nanoTime(), System.currentTimeMillis());
  }

  ProbeTracker(long nanoOrigin, long wallOriginMillis) {
    this.nanoOrigin = nanoOrigin;
    this.wallOriginMillis = wallOriginMillis;
  }

  /** A wall-clock time in milliseconds (a Kafka record timestamp) on the nanoTime scale. */
  long nanosAt(long wallMillis) {
    return nanoOrigin + (wallMillis - wallOriginMillis) * 1_000_000L;
  }

  static String host(int id) {
    return HOST_PREFIX + id;
  }

  /** The probe id in a probe host name, or -1 for any other host. */
  static int idOf(String host) {
    if (host == null || !host.startsWith(HOST_PREFIX)) {
      return -1;
    }
    try {
      return Integer.parseInt(host.substring(HOST_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The probe id of a sixfinger.events key (the host, UTF-8), or -1; cheap for other keys. */
  static int idOfKey(byte[] key) {
    if (key == null || key.length <= PREFIX_BYTES.length) {
      return -1;
    }
    for (int i = 0; i < PREFIX_BYTES.length; i++) {
      if (key[i] != PREFIX_BYTES[i]) {
        return -1;
      }
    }
    return idOf(new String(key, StandardCharsets.UTF_8));
  }

  Probe sent(int id, boolean measured, long sendNanos) {
    Probe p = new Probe(id, measured, sendNanos);
    probes.put(id, p);
    return p;
  }

  /** The first sighting of the probe's event; later ones (none expected) are ignored. */
  void eventSeen(int id, long seenNanos, long recordMillis) {
    Probe p = probes.get(id);
    if (p != null && p.eventSeenNanos == MISSING) {
      p.eventRecordNanos = nanosAt(recordMillis);
      p.eventSeenNanos = seenNanos;
    }
  }

  /** The first sighting of the probe's event by the read_uncommitted consumer. */
  void uncommittedSeen(int id, long seenNanos) {
    Probe p = probes.get(id);
    if (p != null && p.uncommittedSeenNanos == MISSING) {
      p.uncommittedSeenNanos = seenNanos;
    }
  }

  /** The first firing alert of the probe's host. */
  void alertSeen(int id, long seenNanos, long recordMillis) {
    Probe p = probes.get(id);
    if (p != null && p.alertSeenNanos == MISSING) {
      p.alertRecordNanos = nanosAt(recordMillis);
      p.alertSeenNanos = seenNanos;
    }
  }

  /** The measured probes, in order. */
  List<ProbeTimes> measured() {
    List<ProbeTimes> out = new ArrayList<>();
    for (Probe p : probes.values()) {
      if (p.measured) {
        out.add(p.times());
      }
    }
    out.sort(Comparator.comparingInt(ProbeTimes::id));
    return out;
  }

  /** Measured probes still waiting for an ack, their event or their alert. */
  long outstanding() {
    return probes.values().stream().filter(p -> p.measured && !p.times().settled()).count();
  }

  /** Probes (measured or not) whose alert has been seen. */
  long alerted() {
    return probes.values().stream().filter(p -> p.alertSeenNanos != MISSING).count();
  }

  int count() {
    return probes.size();
  }
}
