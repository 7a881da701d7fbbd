package dev.sixfinger.rules.engine;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzipped JSON for engine snapshots: trees of maps with string keys, lists, strings, longs,
 * doubles, booleans, nulls and {@link Event}s (as {@code {"@event": <Riemann JSON>}}). Doubles that
 * JSON cannot hold (NaN, infinities) are written as {@code {"@double": "NaN"}}, so that a restored
 * stage sees exactly the number it saved.
 */
public final class SnapshotCodec {
  private static final String EVENT = "@event";
  private static final String DOUBLE = "@double";
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SnapshotCodec() {}

  public static byte[] encode(Object tree) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes, 64 * 1024)) {
      MAPPER.writeValue(out, toNode(tree, "$"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a snapshot
   */
  public static Object decode(byte[] gzippedJson) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedJson))) {
      return fromNode(MAPPER.readTree(in), "$");
    } catch (IOException | CodecException | NumberFormatException e) {
      throw new IllegalArgumentException("not a snapshot (gzipped JSON): " + e.getMessage(), e);
    }
  }

  static JsonNode toNode(Object value, String path) {
    if (value == null) {
      return F.nullNode();
    }
    if (value instanceof Event e) {
      ObjectNode n = F.objectNode();
      n.set(EVENT, JsonCodec.toNode(e));
      return n;
    }
    if (value instanceof String s) {
      return F.textNode(s);
    }
    if (value instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return F.numberNode(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        return F.numberNode(d);
      }
      ObjectNode n = F.objectNode();
      n.put(DOUBLE, Double.toString(d));
      return n;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode n = F.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "snapshot map keys must be strings at " + path + ", got " + e.getKey());
        }
        if (key.startsWith("@")) {
          throw new IllegalArgumentException("snapshot map key '" + key + "' is reserved");
        }
        n.set(key, toNode(e.getValue(), path + "." + key));
      }
      return n;
    }
    if (value instanceof List<?> list) {
      ArrayNode a = F.arrayNode();
      for (int i = 0; i < list.size(); i++) {
        a.add(toNode(list.get(i), path + "[" + i + "]"));
      }
      return a;
    }
    throw new IllegalArgumentException(
        "cannot snapshot a " + value.getClass().getName() + " at " + path);
  }

  static Object fromNode(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        list.add(fromNode(n.get(i), path + "[" + i + "]"));
      }
      return list;
    }
    if (n.has(EVENT)) {
      return JsonCodec.fromNode(n.get(EVENT), path);
    }
    if (n.has(DOUBLE)) {
      return Double.parseDouble(n.get(DOUBLE).asText());
    }
    Map<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), fromNode(e.getValue(), path + "." + e.getKey()));
    }
    return map;
  }
}
