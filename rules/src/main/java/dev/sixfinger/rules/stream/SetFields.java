package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Riemann's {@code with} (set fields; a null value removes the field) and {@code default} (set only
 * fields that are missing: null, no tags, or an absent attribute).
 *
 * <p>Field names: {@code host}, {@code service}, {@code state}, {@code description} (strings),
 * {@code metric} (a number), {@code ttl} (seconds), {@code time} (Unix seconds, as in queries),
 * {@code tags} (a list of strings); any other name is an attribute with a string value.
 */
final class SetFields implements Stream, HasChildren {
  private enum Kind {
    HOST,
    SERVICE,
    STATE,
    DESCRIPTION,
    METRIC,
    TTL,
    TIME,
    TAGS,
    ATTRIBUTE
  }

  private final Kind[] kinds;
  private final String[] names;
  private final Object[] values;
  private final boolean onlyIfMissing;
  private final Stream child;

  SetFields(Map<String, ?> fields, boolean onlyIfMissing, Stream child) {
    int n = fields.size();
    this.kinds = new Kind[n];
    this.names = new String[n];
    this.values = new Object[n];
    int i = 0;
    for (Map.Entry<String, ?> entry : fields.entrySet()) {
      names[i] = entry.getKey();
      kinds[i] = kindOf(entry.getKey());
      values[i] = checked(kinds[i], entry.getKey(), entry.getValue());
      i++;
    }
    this.onlyIfMissing = onlyIfMissing;
    this.child = child;
  }

  private static Kind kindOf(String name) {
    return switch (name) {
      case "host" -> Kind.HOST;
      case "service" -> Kind.SERVICE;
      case "state" -> Kind.STATE;
      case "description" -> Kind.DESCRIPTION;
      case "metric" -> Kind.METRIC;
      case "ttl" -> Kind.TTL;
      case "time" -> Kind.TIME;
      case "tags" -> Kind.TAGS;
      default -> Kind.ATTRIBUTE;
    };
  }

  private static Object checked(Kind kind, String name, Object value) {
    if (value == null) {
      return null;
    }
    boolean ok =
        switch (kind) {
          case METRIC, TTL, TIME -> value instanceof Number;
          case TAGS ->
              value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
          default -> value instanceof String;
        };
    if (!ok) {
      String expected =
          switch (kind) {
            case METRIC, TTL, TIME -> "a number";
            case TAGS -> "a list of strings";
            default -> "a string";
          };
      throw new IllegalArgumentException(
          "field '" + name + "' must be " + expected + ", got " + value.getClass().getSimpleName());
    }
    return switch (kind) {
      case TTL -> ((Number) value).floatValue();
      case TIME -> Micros.ofSeconds(((Number) value).doubleValue());
      case TAGS -> List.copyOf((List<?>) value);
      default -> value;
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public void accept(Event e) {
    String host = e.host();
    String service = e.service();
    String state = e.state();
    String description = e.description();
    Number metric = e.metric();
    List<String> tags = e.tags();
    Map<String, String> attributes = e.attributes();
    Long time = e.timeMicros();
    Float ttl = e.ttl();
    boolean copiedAttributes = false;
    for (int i = 0; i < kinds.length; i++) {
      Object v = values[i];
      switch (kinds[i]) {
        case HOST -> host = onlyIfMissing && host != null ? host : (String) v;
        case SERVICE -> service = onlyIfMissing && service != null ? service : (String) v;
        case STATE -> state = onlyIfMissing && state != null ? state : (String) v;
        case DESCRIPTION ->
            description = onlyIfMissing && description != null ? description : (String) v;
        case METRIC -> metric = onlyIfMissing && metric != null ? metric : (Number) v;
        case TTL -> ttl = onlyIfMissing && ttl != null ? ttl : (Float) v;
        case TIME -> time = onlyIfMissing && time != null ? time : (Long) v;
        case TAGS ->
            tags =
                onlyIfMissing && !tags.isEmpty() ? tags : v == null ? List.of() : (List<String>) v;
        case ATTRIBUTE -> {
          if (onlyIfMissing && attributes.get(names[i]) != null) {
            break;
          }
          if (!copiedAttributes) {
            attributes = new LinkedHashMap<>(attributes);
            copiedAttributes = true;
          }
          if (v == null) {
            attributes.remove(names[i]);
          } else {
            attributes.put(names[i], (String) v);
          }
        }
      }
    }
    child.accept(new Event(host, service, state, description, metric, tags, attributes, time, ttl));
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
