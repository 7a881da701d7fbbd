package dev.sixfinger.alerting.routing;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name="value"}, {@code name!="value"}, {@code
 * name=~"regex"}, {@code name!~"regex"}. Regular expressions are anchored (they must match the
 * whole value), and a missing label matches as the empty string, as in Alertmanager.
 */
public final class Matcher {
  /** How a matcher compares. */
  public enum Op {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The operator written as {@code =}, {@code !=}, {@code =~} or {@code !~}. */
    public static Op of(String symbol) {
      for (Op op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException(
          "unknown matcher operator '" + symbol + "' (use =, !=, =~ or !~)");
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final String name;
  private final Op op;
  private final String value;
  private final Pattern regex;

  public Matcher(String name, Op op, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid label name '" + name + "' in matcher");
    }
    this.name = name;
    this.op = Objects.requireNonNull(op, "op");
    this.value = Objects.requireNonNull(value, "value");
    if (op == Op.REGEX || op == Op.NOT_REGEX) {
      try {
        this.regex = Pattern.compile("^(?:" + value + ")$");
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression '"
                + value
                + "' for label "
                + name
                + ": "
                + e.getDescription(),
            e);
      }
    } else {
      this.regex = null;
    }
  }

  public static Matcher equal(String name, String value) {
    return new Matcher(name, Op.EQUAL, value);
  }

  /**
   * Parses one matcher such as {@code severity=~"critical|warning"}. The value may be double-quoted
   * (with {@code \"} and {@code \\} escapes) or bare.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static Matcher parse(String text) {
    String s = text == null ? "" : text.trim();
    int i = 0;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    String name = s.substring(0, i);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "matcher '" + text + "' must start with a label name, e.g. severity=\"critical\"");
    }
    String rest = s.substring(i).stripLeading();
    String symbol;
    if (rest.startsWith("=~") || rest.startsWith("!~") || rest.startsWith("!=")) {
      symbol = rest.substring(0, 2);
    } else if (rest.startsWith("=")) {
      symbol = "=";
    } else {
      throw new IllegalArgumentException(
          "matcher '" + text + "' needs an operator after '" + name + "': =, !=, =~ or !~");
    }
    String raw = rest.substring(symbol.length()).strip();
    String value;
    if (raw.startsWith("\"")) {
      StringBuilder b = new StringBuilder();
      int j = 1;
      boolean closed = false;
      while (j < raw.length()) {
        char c = raw.charAt(j);
        if (c == '\\' && j + 1 < raw.length()) {
          char n = raw.charAt(j + 1);
          b.append(n == 'n' ? '\n' : n);
          j += 2;
          continue;
        }
        if (c == '"') {
          closed = true;
          j++;
          break;
        }
        b.append(c);
        j++;
      }
      if (!closed) {
        throw new IllegalArgumentException("matcher '" + text + "' has an unterminated quote");
      }
      if (j != raw.length()) {
        throw new IllegalArgumentException(
            "matcher '" + text + "' has text after the quoted value: '" + raw.substring(j) + "'");
      }
      value = b.toString();
    } else {
      if (raw.contains("\"")) {
        throw new IllegalArgumentException("matcher '" + text + "' has a stray quote");
      }
      value = raw;
    }
    return new Matcher(name, Op.of(symbol), value);
  }

  public String name() {
    return name;
  }

  public Op op() {
    return op;
  }

  public String value() {
    return value;
  }

  /** Whether the labels match; a missing label is the empty string. */
  public boolean matches(Map<String, String> labels) {
    return matchesValue(labels.getOrDefault(name, ""));
  }

  public boolean matchesValue(String v) {
    return switch (op) {
      case EQUAL -> value.equals(v);
      case NOT_EQUAL -> !value.equals(v);
      case REGEX -> regex.matcher(v).matches();
      case NOT_REGEX -> !regex.matcher(v).matches();
    };
  }

  /** Whether every matcher matches. An empty list matches everything. */
  public static boolean all(Iterable<Matcher> matchers, Map<String, String> labels) {
    for (Matcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Alertmanager's form: {@code name="value"} with the value quoted and escaped. */
  @Override
  public String toString() {
    return name
        + op.symbol
        + '"'
        + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
        + '"';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.name.equals(name) && m.op == op && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, op, value);
  }
}
