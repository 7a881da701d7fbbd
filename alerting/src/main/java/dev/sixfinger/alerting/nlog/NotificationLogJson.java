package dev.sixfinger.alerting.nlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The JSON form of a notification log entry (version 1) in the compacted {@code
 * sixfinger.notifications} topic, key = {@link NotificationLogEntry#key()}.
 *
 * <pre>
 * {"v":1,"type":"notification","groupKey":"{}/{severity=\"critical\"}:{alertname=\"fleet-swap\"}",
 *  "receiver":"pager","firing":["c5b4…"],"resolved":[],"sentAt":"…","dedupKey":"9f2e…",
 *  "outcome":"sent","attemptedAt":"…"}
 * </pre>
 */
public final class NotificationLogJson {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private NotificationLogJson() {}

  public static byte[] toBytes(NotificationLogEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", VERSION);
    n.put("type", "notification");
    n.put("groupKey", e.groupKey());
    n.put("receiver", e.receiver());
    ArrayNode f = n.putArray("firing");
    e.firing().forEach(f::add);
    ArrayNode r = n.putArray("resolved");
    e.resolved().forEach(r::add);
    n.put("sentAt", e.sentAtMicros() == null ? null : JsonCodec.formatMicros(e.sentAtMicros()));
    n.put("dedupKey", e.dedupKey());
    n.put("outcome", e.outcome());
    n.put("attemptedAt", JsonCodec.formatMicros(e.attemptedAtMicros()));
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Reads an entry written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static NotificationLogEntry parse(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON notification log entry: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a notification log entry must be a JSON object");
    }
    if (n.path("v").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("unsupported notification log version " + n.get("v"));
    }
    if (!"notification".equals(n.path("type").asText())) {
      throw new IllegalArgumentException("not a notification log entry: type " + n.get("type"));
    }
    try {
      JsonNode sent = n.path("sentAt");
      return new NotificationLogEntry(
          text(n, "groupKey"),
          text(n, "receiver"),
          strings(n, "firing"),
          strings(n, "resolved"),
          sent.isTextual() ? micros(sent.asText()) : null,
          n.path("dedupKey").isTextual() ? n.get("dedupKey").asText() : null,
          text(n, "outcome"),
          micros(text(n, "attemptedAt")));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "notification log entry has a bad time: " + e.getMessage(), e);
    }
  }

  private static Set<String> strings(JsonNode n, String field) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new IllegalArgumentException(
          "notification log field '" + field + "' must be an array of fingerprints");
    }
    Set<String> out = new LinkedHashSet<>();
    a.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("notification log field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static long micros(String iso) {
    Instant t = Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
