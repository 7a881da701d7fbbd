package dev.sixfinger.alerting.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.core.codec.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a silence in the compacted {@code sixfinger.silences} topic (key = id), version
 * 1. A null value (tombstone) removes the silence; an expired silence is a record whose {@code
 * endsAt} is the time it was expired.
 *
 * <pre>
 * {"v":1,"type":"silence","id":"…","matchers":[{"name":"host","op":"=","value":"n1"}],
 *  "createdBy":"alice","comment":"reimaging n1","startsAt":"…","endsAt":"…","updatedAt":"…"}
 * </pre>
 */
public final class SilenceJson {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private SilenceJson() {}

  public static byte[] toBytes(Silence s) {
    try {
      return MAPPER.writeValueAsBytes(toNode(s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode toNode(Silence s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", VERSION);
    n.put("type", "silence");
    n.put("id", s.id());
    ArrayNode ms = n.putArray("matchers");
    for (Matcher m : s.matchers()) {
      ms.addObject().put("name", m.name()).put("op", m.op().symbol()).put("value", m.value());
    }
    n.put("createdBy", s.createdBy());
    n.put("comment", s.comment());
    n.put("startsAt", JsonCodec.formatMicros(s.startsAtMicros()));
    n.put("endsAt", JsonCodec.formatMicros(s.endsAtMicros()));
    n.put("updatedAt", JsonCodec.formatMicros(s.updatedAtMicros()));
    return n;
  }

  /**
   * Reads a record written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static Silence parse(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON silence: " + e.getMessage(), e);
    }
    return fromNode(n);
  }

  public static Silence fromNode(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a silence must be a JSON object");
    }
    if (n.path("v").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("unsupported silence version " + n.get("v"));
    }
    if (!"silence".equals(n.path("type").asText())) {
      throw new IllegalArgumentException("not a silence record: type " + n.get("type"));
    }
    List<Matcher> matchers = new ArrayList<>();
    int i = 0;
    for (JsonNode m : n.path("matchers")) {
      try {
        matchers.add(new Matcher(text(m, "name"), Matcher.Op.of(text(m, "op")), text(m, "value")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("silence matchers[" + i + "]: " + e.getMessage(), e);
      }
      i++;
    }
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one matcher");
    }
    try {
      return new Silence(
          text(n, "id"),
          matchers,
          n.path("createdBy").asText(""),
          n.path("comment").asText(""),
          micros(text(n, "startsAt")),
          micros(text(n, "endsAt")),
          micros(text(n, "updatedAt")));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("silence has a bad time: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("silence field '" + field + "' must be a string");
    }
    return v.asText();
  }

  static long micros(String iso) {
    Instant t = Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
