package dev.sixfinger.core.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Riemann's JSON form of an event: {@code host}, {@code service}, {@code state}, {@code
 * description}, {@code metric}, {@code tags}, {@code time} (ISO-8601, microseconds), {@code ttl};
 * attributes are top-level string fields as Riemann writes them. An attribute whose name collides
 * with one of those fields goes into a nested {@code attributes} object instead, so that every
 * event survives a round trip. Non-finite metrics are written as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"}.
 */
public final class JsonCodec {

  private static final Set<String> RESERVED =
      Set.of(
          "host", "service", "state", "description", "metric", "tags", "time", "ttl", "attributes");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private JsonCodec() {}

  public static ObjectNode toNode(Event e) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    putIfPresent(n, "host", e.host());
    putIfPresent(n, "service", e.service());
    putIfPresent(n, "state", e.state());
    putIfPresent(n, "description", e.description());
    if (e.metric() instanceof Long l) {
      n.put("metric", l);
    } else if (e.metric() != null) {
      double d = e.metric().doubleValue();
      if (Double.isFinite(d)) {
        n.put("metric", d);
      } else {
        n.put("metric", Double.toString(d));
      }
    }
    if (!e.tags().isEmpty()) {
      ArrayNode tags = n.putArray("tags");
      e.tags().forEach(tags::add);
    }
    if (e.timeMicros() != null) {
      n.put("time", formatMicros(e.timeMicros()));
    }
    if (e.ttl() != null) {
      n.put("ttl", e.ttl());
    }
    ObjectNode nested = null;
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      if (RESERVED.contains(a.getKey())) {
        if (nested == null) {
          nested = JsonNodeFactory.instance.objectNode();
        }
        nested.put(a.getKey(), a.getValue());
      } else {
        n.put(a.getKey(), a.getValue());
      }
    }
    if (nested != null) {
      n.set("attributes", nested);
    }
    return n;
  }

  public static String toJson(Event e) {
    return toNode(e).toString();
  }

  public static String toJson(List<Event> events) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    events.forEach(e -> array.add(toNode(e)));
    return array.toString();
  }

  /** Parses one event or an array of events. */
  public static List<Event> parseEvents(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException ex) {
      throw new CodecException("body is not valid JSON: " + ex.getOriginalMessage(), ex);
    } catch (IOException ex) {
      throw new CodecException("body could not be read: " + ex.getMessage(), ex);
    }
    if (root == null || root.isMissingNode()) {
      throw new CodecException("body is empty: expected a JSON event or an array of events");
    }
    if (root.isArray()) {
      List<Event> events = new ArrayList<>(root.size());
      for (int i = 0; i < root.size(); i++) {
        events.add(fromNode(root.get(i), "[" + i + "]."));
      }
      return events;
    }
    return List.of(fromNode(root, ""));
  }

  public static Event fromJson(String json) {
    List<Event> events = parseEvents(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (events.size() != 1) {
      throw new CodecException("expected one JSON event, got an array of " + events.size());
    }
    return events.get(0);
  }

  /**
   * Reads one event.
   *
   * @param path prefix for error messages, e.g. {@code [3].} for the fourth element of an array
   */
  public static Event fromNode(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new CodecException(
          "event " + describe(path) + "must be a JSON object, got " + n.getNodeType());
    }
    Event.Builder b = Event.builder();
    b.host(text(n, "host", path));
    b.service(text(n, "service", path));
    b.state(text(n, "state", path));
    b.description(text(n, "description", path));
    b.metric(metric(n.get("metric"), path));
    JsonNode tags = n.get("tags");
    if (tags != null && !tags.isNull()) {
      if (!tags.isArray()) {
        throw fieldError(path, "tags", "must be an array of strings", tags);
      }
      for (int i = 0; i < tags.size(); i++) {
        JsonNode t = tags.get(i);
        if (!t.isTextual()) {
          throw fieldError(path, "tags[" + i + "]", "must be a string", t);
        }
        b.tag(t.asText());
      }
    }
    b.timeMicros(time(n.get("time"), path));
    JsonNode ttl = n.get("ttl");
    if (ttl != null && !ttl.isNull()) {
      if (!ttl.isNumber()) {
        throw fieldError(path, "ttl", "must be a number of seconds", ttl);
      }
      b.ttl(ttl.floatValue());
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!RESERVED.contains(f.getKey())) {
        attributes.put(f.getKey(), attributeValue(path, f.getKey(), f.getValue()));
      }
    }
    JsonNode nested = n.get("attributes");
    if (nested != null && !nested.isNull()) {
      if (!nested.isObject()) {
        throw fieldError(path, "attributes", "must be an object of strings", nested);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = nested.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        attributes.put(f.getKey(), attributeValue(path, "attributes." + f.getKey(), f.getValue()));
      }
    }
    b.attributes(attributes);
    return b.build();
  }

  private static String attributeValue(String path, String field, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    throw fieldError(path, field, "is an attribute and must be a string", v);
  }

  private static String text(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw fieldError(path, field, "must be a string", v);
    }
    return v.asText();
  }

  private static Number metric(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      switch (v.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          // fall through to the error
      }
    }
    throw fieldError(path, "metric", "must be a number", v);
  }

  private static Long time(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      // Unix seconds, possibly fractional, as some clients send it.
      return Math.round(v.doubleValue() * 1_000_000d);
    }
    if (v.isTextual()) {
      try {
        return parseMicros(v.asText());
      } catch (DateTimeException | ArithmeticException ex) {
        throw fieldError(
            path, "time", "must be an ISO-8601 instant such as 2026-01-31T12:00:00.000001Z", v);
      }
    }
    throw fieldError(path, "time", "must be an ISO-8601 string or unix seconds", v);
  }

  /**
   * Reads an ISO-8601 instant as microseconds since the epoch.
   *
   * @throws DateTimeException when it is not one, or lies beyond what microseconds can hold
   */
  public static long parseMicros(String iso) {
    Instant t = Instant.parse(iso);
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new DateTimeException("instant " + iso + " is out of range", e);
    }
  }

  public static String formatMicros(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
        .toString();
  }

  private static void putIfPresent(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static CodecException fieldError(String path, String field, String rule, JsonNode v) {
    String shown = v.toString();
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return new CodecException(
        "field '"
            + path
            + field
            + "' "
            + rule
            + ", got "
            + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
            + " "
            + shown);
  }

  private static String describe(String path) {
    return path.isEmpty() ? "" : path.substring(0, path.length() - 1) + " ";
  }
}
