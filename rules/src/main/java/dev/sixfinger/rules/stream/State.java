package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading snapshots back, with errors that say what was wrong. */
final class State {
  private State() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object state, String stage) {
    if (!(state instanceof Map)) {
      throw new IllegalArgumentException(
          stage + " state must be a map, got " + (state == null ? "null" : state.getClass()));
    }
    return (Map<String, Object>) state;
  }

  static long getLong(Map<String, Object> state, String key, String stage) {
    Object value = state.get(key);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(stage + " state '" + key + "' must be a number: " + value);
    }
    return number.longValue();
  }

  static Long getLongOrNull(Map<String, Object> state, String key, String stage) {
    return state.get(key) == null ? null : getLong(state, key, stage);
  }

  static double getDouble(Map<String, Object> state, String key, String stage) {
    Object value = state.get(key);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(stage + " state '" + key + "' must be a number: " + value);
    }
    return number.doubleValue();
  }

  static boolean getBoolean(Map<String, Object> state, String key, String stage) {
    Object value = state.get(key);
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(
          stage + " state '" + key + "' must be a boolean: " + value);
    }
    return b;
  }

  static Event getEvent(Map<String, Object> state, String key, String stage) {
    Object value = state.get(key);
    if (value != null && !(value instanceof Event)) {
      throw new IllegalArgumentException(stage + " state '" + key + "' must be an event: " + value);
    }
    return (Event) value;
  }

  static List<Event> getEvents(Map<String, Object> state, String key, String stage) {
    return events(state.get(key), stage + " state '" + key + "'");
  }

  static List<Event> events(Object value, String what) {
    if (!(value instanceof List)) {
      throw new IllegalArgumentException(what + " must be a list of events: " + value);
    }
    List<Event> events = new ArrayList<>();
    for (Object o : (List<?>) value) {
      if (!(o instanceof Event event)) {
        throw new IllegalArgumentException(what + " must hold only events, found: " + o);
      }
      events.add(event);
    }
    return events;
  }
}
