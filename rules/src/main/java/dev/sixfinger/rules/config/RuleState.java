package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.Map;

/** Reading the snapshots of the compiler's stages back, with errors that say what was wrong. */
final class RuleState {
  private RuleState() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object state, String what) {
    if (!(state instanceof Map)) {
      throw new IllegalArgumentException(what + " must be a map: " + state);
    }
    return (Map<String, Object>) state;
  }

  static List<?> list(Object state, String what) {
    if (!(state instanceof List<?> l)) {
      throw new IllegalArgumentException(what + " must be a list: " + state);
    }
    return l;
  }

  static boolean bool(Map<String, Object> state, String key, String stage) {
    if (!(state.get(key) instanceof Boolean b)) {
      throw new IllegalArgumentException(stage + " state '" + key + "' must be a boolean");
    }
    return b;
  }

  /** Any number, as JSON gives back an Integer where a Long was written. */
  static long number(Object value, String what) {
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(what + " must be a number: " + value);
    }
    return n.longValue();
  }

  static Event eventOrNull(Object value, String what) {
    if (value != null && !(value instanceof Event)) {
      throw new IllegalArgumentException(what + " must be an event: " + value);
    }
    return (Event) value;
  }

  static String string(Object value, String what) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(what + " must be a string: " + value);
    }
    return s;
  }
}
