package dev.sixfinger.core.query;

import java.util.Locale;
import java.util.Objects;

/**
 * The left-hand side of a condition: one of the event's own fields, or an attribute.
 *
 * <p>{@code toString()} gives the field as written in a query.
 */
public sealed interface Field permits Field.Builtin, Field.Attribute {

  /**
   * The field an identifier names: a builtin (aliases {@code metric_f} and {@code metric_sint64}
   * are the metric) or else an attribute.
   *
   * @throws IllegalArgumentException if the name is a keyword or not a valid identifier
   */
  static Field of(String name) {
    Builtin builtin = Builtin.byName(name);
    return builtin != null ? builtin : new Attribute(name);
  }

  /** The event's own fields. */
  enum Builtin implements Field {
    HOST,
    SERVICE,
    STATE,
    DESCRIPTION,
    /** A Long or a Double; also written {@code metric_f} or {@code metric_sint64}. */
    METRIC,
    /** Seconds, compared as a number. */
    TTL,
    /** Unix time in seconds (as a double: microseconds / 1e6), as in Riemann. */
    TIME;

    /** The name used in queries (lowercase). */
    public String queryName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return queryName();
    }

    /** The builtin a query identifier names, or null. */
    static Builtin byName(String name) {
      return switch (name) {
        case "host" -> HOST;
        case "service" -> SERVICE;
        case "state" -> STATE;
        case "description" -> DESCRIPTION;
        case "metric", "metric_f", "metric_sint64" -> METRIC;
        case "ttl" -> TTL;
        case "time" -> TIME;
        default -> null;
      };
    }
  }

  /**
   * An attribute, by key. The name must be something a query can spell: a letter or {@code _}, then
   * letters, digits, {@code _ - . /}; not a keyword and not a builtin's name.
   */
  record Attribute(String name) implements Field {
    public Attribute {
      Objects.requireNonNull(name, "name");
      if (!Lexer.isIdentifier(name)) {
        throw new IllegalArgumentException("not a valid attribute name in a query: '" + name + "'");
      }
      if (Lexer.KEYWORDS.contains(name) || Builtin.byName(name) != null) {
        throw new IllegalArgumentException(
            "'" + name + "' is a keyword or a builtin field, not an attribute name");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
