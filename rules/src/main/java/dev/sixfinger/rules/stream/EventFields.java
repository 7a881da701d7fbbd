package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads an event's field by the name a rule uses: {@code host}, {@code service}, {@code state},
 * {@code description}, {@code metric}, {@code ttl}, {@code time} (microseconds), {@code tags}; any
 * other name is an attribute.
 */
public final class EventFields {
  private EventFields() {}

  public static Function<Event, Object> getter(String name) {
    return switch (name) {
      case "host" -> Event::host;
      case "service" -> Event::service;
      case "state" -> Event::state;
      case "description" -> Event::description;
      case "metric" -> Event::metric;
      case "ttl" -> Event::ttl;
      case "time" -> Event::timeMicros;
      case "tags" -> Event::tags;
      default -> e -> e.attributes().get(name);
    };
  }

  /**
   * A key function over several fields: the field's value itself for one field (no allocation per
   * event), a list of the values (nulls kept) for several.
   */
  static Function<Event, Object> key(List<String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one field");
    }
    if (fields.size() == 1) {
      return getter(fields.get(0));
    }
    List<Function<Event, Object>> getters = new ArrayList<>();
    for (String field : fields) {
      getters.add(getter(field));
    }
    @SuppressWarnings("unchecked")
    Function<Event, Object>[] array = getters.toArray(new Function[0]);
    return e -> {
      Object[] values = new Object[array.length];
      for (int i = 0; i < array.length; i++) {
        values[i] = array[i].apply(e);
      }
      return Arrays.asList(values);
    };
  }
}
