package dev.sixfinger.core.query;

import dev.sixfinger.core.event.Event;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A Riemann query, parsed and compiled for matching events.
 *
 * <pre>
 * Query q = Query.parse("service = \"cpu\" and metric &gt; 0.9 and not tagged \"maintenance\"");
 * q.matches(event);
 * </pre>
 *
 * <p>Semantics, as in Riemann: a missing field or attribute is {@code nil}; strings compare
 * exactly, and lexicographically for {@code < > <= >=}; {@code metric}, {@code ttl} and {@code
 * time} compare as numbers ({@code 1 = 1.0}); a string never equals a number, and comparing them is
 * false rather than an error; NaN is false for everything but {@code !=}, which is always the
 * negation of {@code =}. {@code time} is Unix seconds (microseconds / 1e6); {@code ttl} is the
 * float as its shortest decimal, so that {@code ttl = 0.1} matches an event sent with 0.1.
 *
 * <p>Equal queries have equal {@link #expr() trees}; {@link #toString()} is the canonical text.
 */
public final class Query {
  /** Longest query text {@link #parse(String)} accepts: 64 KiB of characters. */
  public static final int DEFAULT_MAX_LENGTH = 64 * 1024;

  /** Deepest nesting of parentheses and {@code not} that {@link #parse(String)} accepts. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  private final Expr expr;
  private final Predicate<Event> predicate;

  private Query(Expr expr, Map<String, Pattern> regexes) {
    this.expr = expr;
    this.predicate = compile(expr, regexes);
  }

  /**
   * Parses a query with the default limits.
   *
   * @throws QueryParseException if the text is not a query
   */
  public static Query parse(String text) {
    return parse(text, DEFAULT_MAX_LENGTH, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses a query.
   *
   * @param maxLength longest text accepted, in chars
   * @param maxDepth deepest nesting of parentheses and {@code not} accepted; the parser recurses
   *     about four frames per level, so keep it in the hundreds
   * @throws QueryParseException if the text is not a query or breaks a limit
   */
  public static Query parse(String text, int maxLength, int maxDepth) {
    Objects.requireNonNull(text, "query text");
    if (maxLength < 0 || maxDepth < 0) {
      throw new IllegalArgumentException(
          "limits must not be negative: maxLength=" + maxLength + ", maxDepth=" + maxDepth);
    }
    Map<String, Pattern> regexes = new HashMap<>();
    Expr expr = Parser.parse(text, maxLength, maxDepth, regexes);
    return new Query(expr, regexes);
  }

  /**
   * Compiles a tree built in code.
   *
   * @throws java.util.regex.PatternSyntaxException if a {@link Expr.Regex} does not compile
   */
  public static Query of(Expr expr) {
    return new Query(Objects.requireNonNull(expr, "expr"), new HashMap<>());
  }

  public Expr expr() {
    return expr;
  }

  public boolean matches(Event event) {
    return predicate.test(event);
  }

  /** See {@link Expr#exactValue(Field)}. */
  public Optional<String> exactValue(Field field) {
    return expr.exactValue(field);
  }

  /** The canonical query text; it parses back to an equal query. */
  @Override
  public String toString() {
    return expr.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query other && other.expr.equals(expr);
  }

  @Override
  public int hashCode() {
    return expr.hashCode();
  }

  // Compilation: the tree becomes nested predicates, with patterns prepared once, here.

  private static Predicate<Event> compile(Expr expr, Map<String, Pattern> regexes) {
    if (expr instanceof Expr.Const c) {
      boolean value = c.value();
      return event -> value;
    }
    if (expr instanceof Expr.Not not) {
      return compile(not.operand(), regexes).negate();
    }
    if (expr instanceof Expr.And and) {
      Predicate<Event>[] terms = compileAll(and.terms(), regexes);
      return event -> {
        for (Predicate<Event> term : terms) {
          if (!term.test(event)) {
            return false;
          }
        }
        return true;
      };
    }
    if (expr instanceof Expr.Or or) {
      Predicate<Event>[] terms = compileAll(or.terms(), regexes);
      return event -> {
        for (Predicate<Event> term : terms) {
          if (term.test(event)) {
            return true;
          }
        }
        return false;
      };
    }
    if (expr instanceof Expr.Tagged tagged) {
      String tag = tagged.tag();
      return event -> event.tagged(tag);
    }
    if (expr instanceof Expr.Like like) {
      Predicate<String> pattern = likeMatcher(like.pattern());
      Function<Event, Object> get = getter(like.field());
      return event -> get.apply(event) instanceof String s && pattern.test(s);
    }
    if (expr instanceof Expr.Regex regex) {
      Pattern pattern = regexes.computeIfAbsent(regex.pattern(), Pattern::compile);
      Function<Event, Object> get = getter(regex.field());
      // Riemann uses re-find: a match anywhere in the value.
      return event -> get.apply(event) instanceof String s && pattern.matcher(s).find();
    }
    return compileCompare((Expr.Compare) expr);
  }

  @SuppressWarnings("unchecked") // generic array of predicates, filled right here
  private static Predicate<Event>[] compileAll(List<Expr> terms, Map<String, Pattern> regexes) {
    Predicate<Event>[] compiled = new Predicate[terms.size()];
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = compile(terms.get(i), regexes);
    }
    return compiled;
  }

  /**
   * SQL LIKE: '%' is any run of characters, everything else is literal, and the whole value must
   * match. Done with plain string searches rather than a regex: no escaping pitfalls, and no
   * backtracking blow-up on patterns like {@code %a%a%a%a%b}.
   */
  private static Predicate<String> likeMatcher(String like) {
    String[] parts = like.split("%", -1); // parts.length - 1 wildcards
    if (parts.length == 1) {
      return like::equals;
    }
    String first = parts[0];
    String last = parts[parts.length - 1];
    return value -> {
      int end = value.length() - last.length();
      if (end < first.length() || !value.startsWith(first) || !value.startsWith(last, end)) {
        return false;
      }
      // Each middle part at its leftmost place leaves the most room for the rest.
      int from = first.length();
      for (int i = 1; i < parts.length - 1; i++) {
        int at = value.indexOf(parts[i], from);
        if (at < 0 || at + parts[i].length() > end) {
          return false;
        }
        from = at + parts[i].length();
      }
      return true;
    };
  }

  private static Predicate<Event> compileCompare(Expr.Compare compare) {
    Function<Event, Object> get = getter(compare.field());
    Object literal = literal(compare.value());
    return switch (compare.op()) {
      case EQ -> event -> equal(get.apply(event), literal);
      case NE -> event -> !equal(get.apply(event), literal);
      case LT -> event -> order(get.apply(event), literal) == -1;
      case GT -> event -> order(get.apply(event), literal) == 1;
      case LE ->
          event -> {
            int order = order(get.apply(event), literal);
            return order == -1 || order == 0;
          };
      case GE ->
          event -> {
            int order = order(get.apply(event), literal);
            return order == 0 || order == 1;
          };
    };
  }

  /** A String, a Long or Double, null for nil, or a Boolean (which equals no field's value). */
  private static Object literal(Value value) {
    if (value instanceof Value.Str str) {
      return str.value();
    }
    if (value instanceof Value.Num num) {
      return num.value();
    }
    if (value instanceof Value.Bool bool) {
      return bool.value();
    }
    return null;
  }

  /** The field's value in an event: a String, a Long or Double, or null when absent. */
  private static Function<Event, Object> getter(Field field) {
    if (field instanceof Field.Attribute attribute) {
      String key = attribute.name();
      return event -> event.attributes().get(key);
    }
    return switch ((Field.Builtin) field) {
      case HOST -> Event::host;
      case SERVICE -> Event::service;
      case STATE -> Event::state;
      case DESCRIPTION -> Event::description;
      case METRIC -> Event::metric;
      // The shortest decimal of the float: what the sender wrote, not 0.10000000149011612.
      case TTL -> event -> event.ttl() == null ? null : Double.valueOf(Float.toString(event.ttl()));
      case TIME -> event -> event.timeMicros() == null ? null : event.timeMicros() / 1e6;
    };
  }

  private static boolean equal(Object actual, Object literal) {
    if (actual == null || literal == null) {
      return actual == literal;
    }
    if (actual instanceof String) {
      return actual.equals(literal);
    }
    if (actual instanceof Number a && literal instanceof Number b) {
      return compareNumbers(a, b) == 0;
    }
    return false;
  }

  /** Not comparable: missing, NaN, or a string against a number. Every ordering test fails. */
  private static final int UNORDERED = 2;

  /** -1, 0 or 1 comparing actual with literal, or {@link #UNORDERED}. */
  private static int order(Object actual, Object literal) {
    if (actual instanceof String a && literal instanceof String b) {
      return Integer.signum(a.compareTo(b));
    }
    if (actual instanceof Number a && literal instanceof Number b) {
      return compareNumbers(a, b);
    }
    return UNORDERED;
  }

  /** Compares two Long/Double values exactly; {@link #UNORDERED} if either is NaN. */
  private static int compareNumbers(Number a, Number b) {
    if (a instanceof Long && b instanceof Long) {
      return Integer.signum(Long.compare(a.longValue(), b.longValue()));
    }
    double x = a.doubleValue();
    double y = b.doubleValue();
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return UNORDERED;
    }
    if ((exactAsDouble(a) && exactAsDouble(b)) || Double.isInfinite(x) || Double.isInfinite(y)) {
      return x < y ? -1 : (x > y ? 1 : 0); // primitive comparison: -0.0 equals 0.0
    }
    // A long beyond 2^53 against a double: converting it to a double could round.
    return Integer.signum(toBigDecimal(a).compareTo(toBigDecimal(b)));
  }

  private static BigDecimal toBigDecimal(Number n) {
    return n instanceof Long ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.doubleValue());
  }

  private static boolean exactAsDouble(Number n) {
    if (n instanceof Double) {
      return true;
    }
    long l = n.longValue();
    return l >= -(1L << 53) && l <= (1L << 53);
  }
}
