package dev.sixfinger.alerting.testing;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alert records as the rules engine writes them. */
public final class Alerts {
  private Alerts() {}

  /** A fingerprint derived from the labels, like the engine's. */
  public static String fingerprint(Map<String, String> labels) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(new TreeMap<>(labels).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Labels from alternating names and values; alertname and severity included by the caller. */
  public static Map<String, String> labels(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  public static AlertRecord firing(Map<String, String> labels, long startsAt, long time) {
    return record(labels, AlertRecord.Status.FIRING, startsAt, null, time, List.of());
  }

  public static AlertRecord resolved(Map<String, String> labels, long startsAt, long time) {
    return record(labels, AlertRecord.Status.RESOLVED, startsAt, time, time, List.of());
  }

  public static AlertRecord record(
      Map<String, String> labels,
      AlertRecord.Status status,
      long startsAt,
      Long endsAt,
      long time,
      List<Event> evidence) {
    String name = labels.getOrDefault("alertname", "test");
    String host = labels.get("host");
    return new AlertRecord(
        fingerprint(labels),
        name,
        status,
        labels.get("severity"),
        labels,
        name + (host == null ? "" : " on " + host),
        "description of " + name,
        startsAt,
        endsAt,
        time,
        host == null ? List.of() : List.of(host),
        evidence);
  }
}
