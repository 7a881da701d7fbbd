package dev.sixfinger.core.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Field.Attribute;
import dev.sixfinger.core.query.Field.Builtin;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Properties over random trees, events and texts. The reference evaluation below is written from
 * the language's rules, directly over the generated tree: it shares no code with {@link Query}.
 */
class QueryPropertiesTest {

  // Small pools, so that generated literals and event values often coincide.
  private static final List<String> STRINGS =
      List.of(
          "",
          "a",
          "b",
          "ab",
          "a.b",
          "axb",
          "A",
          "é",
          "日本",
          "😀",
          "a\nb",
          "\"q\"",
          "back\\slash",
          "[x]",
          "%",
          "a%b",
          "\u0000",
          "\ud800",
          "web-1",
          "ok");
  private static final List<String> ATTRIBUTE_NAMES =
      List.of("region", "rack", "_x", "a-b.c/d", "zone1", "Host");
  private static final List<String> LIKE_PARTS =
      List.of("%", "%", "a", "b", ".", "[", "]", "*", "\\E", "\\Q", "é", "\n", "\ud800", "x");
  private static final List<String> REGEXES =
      List.of(
          "",
          "a",
          "^a",
          "b$",
          "a.b",
          "[ab]+",
          "\\d",
          "é",
          "^$",
          "(?i)A",
          "\\.",
          "a|b",
          ".*",
          "^web-\\d+$",
          "\\n");
  private static final List<Long> LONGS =
      List.of(
          0L,
          1L,
          -1L,
          2L,
          60L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          1L << 53,
          (1L << 53) + 1,
          1_000_000L,
          1_500_000L,
          100_000L,
          60_000_000L);
  private static final List<Double> DOUBLES =
      List.of(
          0.0,
          -0.0,
          1.0,
          1.5,
          -1.5,
          0.1,
          60.0,
          1e20,
          9007199254740992.0,
          9.223372036854776E18, // Long.MAX_VALUE rounded up to 2^63
          Double.MAX_VALUE,
          Double.MIN_VALUE);

  // ---- properties ----

  @Property(tries = 1000)
  void canonicalTextParsesBackToAnEqualTree(@ForAll("exprs") Expr expr) {
    String text = expr.toString();
    Query parsed = Query.parse(text);
    assertThat(parsed.expr()).isEqualTo(expr);
    assertThat(parsed.toString()).isEqualTo(text);
  }

  @Property(tries = 1000)
  void matchesAgreesWithTheReferenceEvaluation(
      @ForAll("exprs") Expr expr,
      @ForAll @Size(min = 1, max = 6) List<@From("events") Event> events) {
    Query compiled = Query.of(expr);
    Query parsed = Query.parse(expr.toString());
    for (Event event : events) {
      boolean expected = Reference.eval(expr, event);
      assertThat(compiled.matches(event)).as("%s on %s", expr, event).isEqualTo(expected);
      assertThat(parsed.matches(event)).as("%s on %s", expr, event).isEqualTo(expected);
    }
  }

  @Property(tries = 500)
  void numericFieldsAgreeWithTheReference(
      @ForAll("numericCompares") Expr.Compare compare, @ForAll("numericEvents") Event event) {
    // metric, ttl and time against a few literals that events often hold, so that hits are common.
    assertThat(Query.of(compare).matches(event))
        .as("%s on %s", compare, event)
        .isEqualTo(Reference.eval(compare, event));
  }

  @Property(tries = 1000)
  void likeAgreesWithTheReference(
      @ForAll("likePatterns") String pattern, @ForAll("abStrings") String value) {
    Event event = Event.builder().host(value).build();
    assertThat(Query.of(new Expr.Like(Builtin.HOST, pattern)).matches(event))
        .as("%s =~ %s", value, pattern)
        .isEqualTo(Reference.like(pattern, value));
  }

  @Property(tries = 1000)
  void numbersCompareExactly(
      @ForAll("edgyMetrics") Number metric, @ForAll Op op, @ForAll("edgyLiterals") Number literal) {
    // Near 2^53 and the ends of the long range, a double cannot hold every long.
    Expr.Compare compare = new Expr.Compare(Builtin.METRIC, op, new Value.Num(literal));
    Event event = Event.builder().metric(metric).build();
    assertThat(Query.of(compare).matches(event))
        .as("%s %s", metric, compare)
        .isEqualTo(Reference.eval(compare, event));
  }

  @Property(tries = 1000)
  void randomTextParsesOrFailsWithAPosition(@ForAll("noise") String text) {
    checkParsesOrFailsCleanly(text);
  }

  @Property(tries = 1000)
  void mutatedQueriesParseOrFailWithAPosition(@ForAll("mutatedQueries") String text) {
    checkParsesOrFailsCleanly(text);
  }

  private static void checkParsesOrFailsCleanly(String text) {
    Query query;
    try {
      query = Query.parse(text);
    } catch (QueryParseException e) {
      assertThat(e.position()).as(text).isBetween(0, text.length());
      assertThat(e.getMessage()).contains(" at column " + (e.position() + 1) + "\n");
      assertThat(e.reason()).doesNotContain("\n");
      return;
    }
    // Whatever parses has a canonical form that is stable.
    assertThat(Query.parse(query.toString())).isEqualTo(query);
    query.matches(Event.builder().host("a").metric(1L).build());
  }

  // ---- generators ----

  @Provide
  Arbitrary<Expr> exprs() {
    return expr(4);
  }

  private Arbitrary<Expr> expr(int depth) {
    Arbitrary<Expr> leaf =
        Arbitraries.frequencyOf(
            Tuple.of(6, compares()),
            Tuple.of(2, likes()),
            Tuple.of(2, regexes()),
            Tuple.of(1, strings().map(Expr.Tagged::new)),
            Tuple.of(1, Arbitraries.of(true, false).map(Expr.Const::new)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Expr> sub = Arbitraries.lazy(() -> expr(depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaf),
        Tuple.of(1, sub.map(Expr.Not::new)),
        Tuple.of(1, sub.list().ofMinSize(2).ofMaxSize(4).map(Expr.And::new)),
        Tuple.of(1, sub.list().ofMinSize(2).ofMaxSize(4).map(Expr.Or::new)));
  }

  private Arbitrary<Expr.Compare> compares() {
    return Combinators.combine(fields(), Arbitraries.of(Op.class), values()).as(Expr.Compare::new);
  }

  @Provide
  Arbitrary<Expr.Compare> numericCompares() {
    Arbitrary<Value> literal =
        Arbitraries.<Number>of(0L, 1L, 60L, -1L, 0.0, 0.1, 0.2, 0.3, 1.5, 60.0, 1.0)
            .map(n -> (Value) new Value.Num(n))
            .injectNull(0.1)
            .map(v -> v == null ? Value.NIL : v);
    return Combinators.combine(
            Arbitraries.of(Builtin.METRIC, Builtin.TTL, Builtin.TIME),
            Arbitraries.of(Op.class),
            literal)
        .as(Expr.Compare::new);
  }

  @Provide
  Arbitrary<Event> numericEvents() {
    Arbitrary<Number> metric =
        Arbitraries.<Number>of(0L, 1L, 60L, -1L, 0.0, -0.0, 0.1, 0.3, 1.5, 60.0, Double.NaN)
            .injectNull(0.1);
    Arbitrary<Float> ttl =
        Arbitraries.of(0.1f, 0.2f, 0.3f, 1.5f, 60f, 0f, Float.NaN).injectNull(0.1);
    Arbitrary<Long> time =
        Arbitraries.of(0L, 100_000L, 300_000L, 1_000_000L, 1_500_000L, 60_000_000L, -1L)
            .injectNull(0.1);
    return Combinators.combine(metric, ttl, time)
        .as((m, t, us) -> Event.builder().metric(m).ttl(t).timeMicros(us).build());
  }

  private Arbitrary<Expr> likes() {
    Arbitrary<String> pattern =
        Arbitraries.of(LIKE_PARTS).list().ofMaxSize(4).map(parts -> String.join("", parts));
    return Combinators.combine(fields(), Arbitraries.oneOf(pattern, strings())).as(Expr.Like::new);
  }

  private Arbitrary<Expr> regexes() {
    Arbitrary<String> pattern =
        Arbitraries.oneOf(Arbitraries.of(REGEXES), strings().map(Pattern::quote));
    return Combinators.combine(fields(), pattern).as(Expr.Regex::new);
  }

  private Arbitrary<Field> fields() {
    Arbitrary<Field> attributes =
        Arbitraries.oneOf(
                Arbitraries.of(ATTRIBUTE_NAMES),
                Arbitraries.strings()
                    .withChars("abcXYZ_019-./")
                    .ofMinLength(1)
                    .ofMaxLength(8)
                    .filter(name -> Lexer.isIdentifier(name) && isFreeName(name)))
            .map(Attribute::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(Builtin.class)), Tuple.of(1, attributes));
  }

  private static boolean isFreeName(String name) {
    return !Lexer.KEYWORDS.contains(name) && Builtin.byName(name) == null;
  }

  private Arbitrary<Value> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, strings().map(Value.Str::new)),
        Tuple.of(4, numbers().map(Value.Num::new)),
        Tuple.of(1, Arbitraries.of(true, false).map(Value.Bool::new)),
        Tuple.of(1, Arbitraries.just(Value.NIL)));
  }

  /** Pooled strings, or any chars at all (lone surrogates, controls, quotes included). */
  private Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(STRINGS)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)));
  }

  /** Finite Longs and Doubles, as a literal can hold. */
  private Arbitrary<Number> numbers() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(LONGS)),
        Tuple.of(3, Arbitraries.of(DOUBLES)),
        Tuple.of(1, Arbitraries.longs()),
        Tuple.of(1, Arbitraries.doubles()),
        Tuple.of(1, Arbitraries.longs().between(-3, 3).map(l -> (double) l)));
  }

  @Provide
  Arbitrary<Event> events() {
    Arbitrary<String> text = strings().injectNull(0.3);
    Arbitrary<Number> metric =
        Arbitraries.frequencyOf(
                Tuple.of(5, numbers()),
                Tuple.of(
                    1,
                    Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
            .injectNull(0.2);
    Arbitrary<Float> ttl =
        Arbitraries.oneOf(
                Arbitraries.of(0.1f, 60f, 1.5f, 0f, -1f, Float.NaN, Float.POSITIVE_INFINITY),
                Arbitraries.floats())
            .injectNull(0.3);
    Arbitrary<Long> time =
        Arbitraries.oneOf(Arbitraries.of(LONGS), Arbitraries.longs()).injectNull(0.3);
    Arbitrary<List<String>> tags = strings().list().ofMaxSize(3);
    Arbitrary<Map<String, String>> attributes =
        Arbitraries.maps(
                Arbitraries.oneOf(
                    Arbitraries.of(ATTRIBUTE_NAMES), Arbitraries.strings().ofMaxLength(3)),
                strings().injectNull(0.2))
            .ofMaxSize(4);
    return Builders.withBuilder(Event::builder)
        .use(text)
        .in(Event.Builder::host)
        .use(text)
        .in(Event.Builder::service)
        .use(text)
        .in(Event.Builder::state)
        .use(text)
        .in(Event.Builder::description)
        .use(metric)
        .in(Event.Builder::metric)
        .use(ttl)
        .in(Event.Builder::ttl)
        .use(time)
        .in(Event.Builder::timeMicros)
        .use(tags)
        .in(Event.Builder::tags)
        .use(attributes)
        .in(Event.Builder::attributes)
        .build(Event.Builder::build);
  }

  @Provide
  Arbitrary<String> likePatterns() {
    return Arbitraries.strings().withChars("%ab").ofMaxLength(7);
  }

  @Provide
  Arbitrary<String> abStrings() {
    return Arbitraries.strings().withChars("ab").ofMaxLength(7);
  }

  /** Longs and doubles around where doubles stop holding every integer, and the specials. */
  @Provide
  Arbitrary<Number> edgyMetrics() {
    return Arbitraries.oneOf(
        edgyLiterals(),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
  }

  @Provide
  Arbitrary<Number> edgyLiterals() {
    Arbitrary<Long> base =
        Arbitraries.of(0L, 1L << 53, -(1L << 53), Long.MAX_VALUE, Long.MIN_VALUE);
    Arbitrary<Long> longs =
        Combinators.combine(base, Arbitraries.longs().between(-3, 3))
            .as(
                (b, d) ->
                    (b == Long.MAX_VALUE && d > 0) || (b == Long.MIN_VALUE && d < 0) ? b : b + d);
    Arbitrary<Double> doubles =
        Combinators.combine(longs, Arbitraries.of(-1, 0, 1))
            .as(
                (l, ulps) -> {
                  double d = (double) l;
                  return ulps < 0 ? Math.nextDown(d) : ulps > 0 ? Math.nextUp(d) : d;
                })
            .filter(Double::isFinite);
    return Arbitraries.oneOf(longs, doubles, Arbitraries.of(-0.0, 0.5, -0.5));
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> grammarish =
        Arbitraries.strings()
            .withChars("()\"\\=!<>~%-.eE0123456789 \n\tabhostmeric_ndortagedfulsxu/")
            .ofMaxLength(40);
    Arbitrary<String> words =
        Arbitraries.of(
                "host",
                "metric",
                "=",
                "!=",
                "<",
                ">=",
                "=~",
                "~=",
                "and",
                "or",
                "not",
                "(",
                ")",
                "\"a\"",
                "\"",
                "\\",
                "1",
                "-1.5e3",
                "nil",
                "true",
                "tagged",
                "x",
                "\"\\u12\"")
            .list()
            .ofMaxSize(10)
            .map(tokens -> String.join(" ", tokens));
    return Arbitraries.oneOf(grammarish, words, Arbitraries.strings().all().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> mutatedQueries() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 4),
                Arbitraries.of('(', ')', '"', '\\', '=', '~', '!', '%', ' ', 'a', '1', '-', '.'))
            .as(Edit::new);
    return Combinators.combine(exprs(), edit.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (expr, edits) -> {
              StringBuilder text = new StringBuilder(expr.toString());
              for (Edit e : edits) {
                e.apply(text);
              }
              return text.toString();
            });
  }

  /** Insert a character, delete a few, or duplicate a few, at a relative position. */
  private record Edit(int kind, double where, int length, char c) {
    void apply(StringBuilder text) {
      int at = (int) (where * text.length());
      int end = Math.min(text.length(), at + length);
      switch (kind) {
        case 0 -> text.insert(at, c);
        case 1 -> text.delete(at, end);
        default -> text.insert(at, text.substring(at, end));
      }
    }
  }

  // ---- the reference: Riemann's rules, restated ----

  private static final class Reference {
    static boolean eval(Expr expr, Event event) {
      if (expr instanceof Expr.Const c) {
        return c.value();
      }
      if (expr instanceof Expr.Not n) {
        return !eval(n.operand(), event);
      }
      if (expr instanceof Expr.And a) {
        return a.terms().stream().allMatch(t -> eval(t, event));
      }
      if (expr instanceof Expr.Or o) {
        return o.terms().stream().anyMatch(t -> eval(t, event));
      }
      if (expr instanceof Expr.Tagged t) {
        return event.tags().contains(t.tag());
      }
      if (expr instanceof Expr.Like l) {
        return value(l.field(), event) instanceof String s && like(l.pattern(), s);
      }
      if (expr instanceof Expr.Regex r) {
        return value(r.field(), event) instanceof String s
            && Pattern.compile(r.pattern()).matcher(s).find();
      }
      Expr.Compare c = (Expr.Compare) expr;
      Object actual = value(c.field(), event);
      Value literal = c.value();
      Integer order = order(actual, literal);
      return switch (c.op()) {
        case EQ -> equal(actual, literal);
        case NE -> !equal(actual, literal);
        case LT -> order != null && order < 0;
        case GT -> order != null && order > 0;
        case LE -> order != null && order <= 0;
        case GE -> order != null && order >= 0;
      };
    }

    /** String, Long, Double or null. */
    static Object value(Field field, Event e) {
      if (field instanceof Attribute a) {
        return e.attributes().get(a.name());
      }
      return switch ((Builtin) field) {
        case HOST -> e.host();
        case SERVICE -> e.service();
        case STATE -> e.state();
        case DESCRIPTION -> e.description();
        case METRIC -> e.metric();
        case TTL -> e.ttl() == null ? null : Double.parseDouble(Float.toString(e.ttl()));
        case TIME -> e.timeMicros() == null ? null : e.timeMicros() / 1e6;
      };
    }

    static boolean equal(Object actual, Value literal) {
      if (literal instanceof Value.Nil) {
        return actual == null;
      }
      if (actual == null || literal instanceof Value.Bool) {
        return false;
      }
      if (literal instanceof Value.Str s) {
        return s.value().equals(actual);
      }
      Integer order = order(actual, literal);
      return order != null && order == 0;
    }

    /** The sign of actual compared with literal, or null when they cannot be ordered. */
    static Integer order(Object actual, Value literal) {
      if (actual instanceof String a && literal instanceof Value.Str s) {
        return Integer.signum(a.compareTo(s.value()));
      }
      if (actual instanceof Number a && literal instanceof Value.Num n) {
        return compare(a, n.value());
      }
      return null;
    }

    /** Exact comparison through BigDecimal, with NaN unordered and infinities at the ends. */
    static Integer compare(Number a, Number b) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return null;
      }
      int rankA = Double.isInfinite(x) ? (int) Math.signum(x) : 0;
      int rankB = Double.isInfinite(y) ? (int) Math.signum(y) : 0;
      if (rankA != 0 || rankB != 0) {
        return Integer.signum(Integer.compare(rankA, rankB));
      }
      return exact(a).compareTo(exact(b));
    }

    static BigDecimal exact(Number n) {
      return n instanceof Long l ? new BigDecimal(l) : new BigDecimal(n.doubleValue());
    }

    /** SQL LIKE with '%' only, by dynamic programming over chars. */
    static boolean like(String pattern, String s) {
      boolean[][] ok = new boolean[pattern.length() + 1][s.length() + 1];
      ok[0][0] = true;
      for (int i = 1; i <= pattern.length(); i++) {
        char p = pattern.charAt(i - 1);
        for (int j = 0; j <= s.length(); j++) {
          if (p == '%') {
            ok[i][j] = ok[i - 1][j] || (j > 0 && ok[i][j - 1]);
          } else {
            ok[i][j] = j > 0 && ok[i - 1][j - 1] && s.charAt(j - 1) == p;
          }
        }
      }
      return ok[pattern.length()][s.length()];
    }
  }
}
