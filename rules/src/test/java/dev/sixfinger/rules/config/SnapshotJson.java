package dev.sixfinger.rules.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot through JSON and back, as the engine stores it: events as {@code {"$event": JSON
 * event}}, everything else as plain JSON (so longs come back as Integers where they fit). Fails on
 * any value a snapshot may not hold.
 */
final class SnapshotJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String EVENT = "$event";

  private SnapshotJson() {}

  static Object roundTrip(Object snapshot) {
    try {
      String json = MAPPER.writeValueAsString(encode(snapshot));
      return decode(MAPPER.readValue(json, Object.class));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object encode(Object o) {
    if (o == null
        || o instanceof String
        || o instanceof Long
        || o instanceof Double
        || o instanceof Boolean) {
      return o;
    }
    if (o instanceof Event e) {
      return Map.of(EVENT, JsonCodec.toNode(e));
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(encode(v)));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (!(k instanceof String key)) {
              throw new IllegalArgumentException("snapshot map key is not a string: " + k);
            }
            out.put(key, encode(v));
          });
      return out;
    }
    throw new IllegalArgumentException("not a snapshot value: " + o.getClass().getName());
  }

  private static Object decode(Object o) {
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(decode(v)));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      if (m.size() == 1 && m.containsKey(EVENT)) {
        return JsonCodec.fromNode(MAPPER.valueToTree(m.get(EVENT)), "");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, decode(v)));
      return out;
    }
    return o;
  }
}
