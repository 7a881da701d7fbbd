package dev.sixfinger.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Expr.And;
import dev.sixfinger.core.query.Expr.Compare;
import dev.sixfinger.core.query.Expr.Const;
import dev.sixfinger.core.query.Expr.Not;
import dev.sixfinger.core.query.Expr.Or;
import dev.sixfinger.core.query.Field.Attribute;
import dev.sixfinger.core.query.Field.Builtin;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueryTest {

  private static final Event WEB =
      Event.builder()
          .host("web-1")
          .service("cpu")
          .state("ok")
          .description("all good")
          .metric(0.5)
          .tag("prod")
          .tag("web")
          .attribute("region", "eu-west")
          .attribute("rack.id/x-y", "r1")
          .attribute("empty", null)
          .timeMicros(1_500_000L)
          .ttl(0.1f)
          .build();

  private static final Event BARE = Event.builder().build();

  private static boolean matches(String query, Event event) {
    return Query.parse(query).matches(event);
  }

  private static Event metric(Number metric) {
    return Event.builder().metric(metric).build();
  }

  private static Compare cmp(String field, Op op, Value value) {
    return new Compare(Field.of(field), op, value);
  }

  private static Value str(String s) {
    return new Value.Str(s);
  }

  private static Value num(Number n) {
    return new Value.Num(n);
  }

  @Nested
  class Equality {
    @Test
    void stringFieldsCompareExactly() {
      assertThat(matches("host = \"web-1\"", WEB)).isTrue();
      assertThat(matches("host = \"web\"", WEB)).isFalse();
      assertThat(matches("host = \"WEB-1\"", WEB)).isFalse();
      assertThat(matches("service = \"cpu\"", WEB)).isTrue();
      assertThat(matches("state = \"ok\"", WEB)).isTrue();
      assertThat(matches("description = \"all good\"", WEB)).isTrue();
      assertThat(matches("host != \"web-1\"", WEB)).isFalse();
      assertThat(matches("host != \"db-1\"", WEB)).isTrue();
    }

    @Test
    void nilAndNullMeanAbsent() {
      assertThat(matches("host = nil", BARE)).isTrue();
      assertThat(matches("host = null", BARE)).isTrue();
      assertThat(matches("host = nil", WEB)).isFalse();
      assertThat(matches("host != nil", WEB)).isTrue();
      assertThat(matches("host != null", BARE)).isFalse();
      assertThat(matches("metric = nil", BARE)).isTrue();
      assertThat(matches("ttl = nil", BARE)).isTrue();
      assertThat(matches("time = nil", BARE)).isTrue();
      assertThat(Query.parse("host = null").toString()).isEqualTo("host = nil");
    }

    @Test
    void aMissingFieldEqualsNoValue() {
      assertThat(matches("host = \"\"", BARE)).isFalse();
      assertThat(matches("host != \"\"", BARE)).isTrue();
      assertThat(matches("metric = 0", BARE)).isFalse();
      assertThat(matches("metric != 0", BARE)).isTrue();
    }

    @Test
    void numbersCompareNumerically() {
      assertThat(matches("metric = 1", metric(1L))).isTrue();
      assertThat(matches("metric = 1.0", metric(1L))).isTrue();
      assertThat(matches("metric = 1", metric(1.0))).isTrue();
      assertThat(matches("metric = 1e0", metric(1L))).isTrue();
      assertThat(matches("metric = -0.0", metric(0L))).isTrue();
      assertThat(matches("metric = 0.5", WEB)).isTrue();
      assertThat(matches("metric = 2", metric(1L))).isFalse();
    }

    @Test
    void largeIntegersCompareExactly() {
      // 2^53 + 1 has no double; it must not equal 2^53 through rounding.
      assertThat(matches("metric = 9007199254740993", metric(9007199254740993L))).isTrue();
      assertThat(matches("metric = 9007199254740992.0", metric(9007199254740993L))).isFalse();
      assertThat(matches("metric > 9007199254740992.0", metric(9007199254740993L))).isTrue();
      assertThat(matches("metric = 9223372036854775807", metric(Long.MAX_VALUE))).isTrue();
      assertThat(matches("metric < 9223372036854775807", metric(Long.MIN_VALUE))).isTrue();
    }

    @Test
    void metricAliases() {
      assertThat(matches("metric_f = 0.5", WEB)).isTrue();
      assertThat(matches("metric_sint64 = 3", metric(3L))).isTrue();
      assertThat(Query.parse("metric_f > 1").expr()).isEqualTo(cmp("metric", Op.GT, num(1L)));
      assertThat(Query.parse("metric_sint64 > 1").toString()).isEqualTo("metric > 1");
    }

    @Test
    void stringsNeverEqualNumbersOrBooleans() {
      Event numericHost = Event.builder().host("1").attribute("flag", "true").build();
      assertThat(matches("host = 1", numericHost)).isFalse();
      assertThat(matches("host != 1", numericHost)).isTrue();
      assertThat(matches("metric = \"0.5\"", WEB)).isFalse();
      assertThat(matches("flag = true", numericHost)).isFalse();
      assertThat(matches("flag != true", numericHost)).isTrue();
      assertThat(matches("flag = false", BARE)).isFalse();
    }

    @Test
    void nanIsFalseForEverythingButNotEqual() {
      Event nan = metric(Double.NaN);
      for (String op : List.of("=", "<", ">", "<=", ">=")) {
        assertThat(matches("metric " + op + " 1", nan)).as(op).isFalse();
      }
      assertThat(matches("metric != 1", nan)).isTrue();
      assertThat(matches("metric = nil", nan)).isFalse();
      assertThat(matches("metric != nil", nan)).isTrue();
    }

    @Test
    void ttlComparesAsTheDecimalItWasSentAs() {
      assertThat(matches("ttl = 0.1", WEB)).isTrue();
      assertThat(matches("ttl < 0.2", WEB)).isTrue();
      assertThat(matches("ttl > 60", Event.builder().ttl(120f).build())).isTrue();
      assertThat(matches("ttl = 120", Event.builder().ttl(120f).build())).isTrue();
    }

    @Test
    void timeIsUnixSeconds() {
      assertThat(matches("time = 1.5", WEB)).isTrue();
      assertThat(matches("time > 1", WEB)).isTrue();
      assertThat(matches("time < 2", WEB)).isTrue();
      assertThat(matches("time = 1500000", WEB)).isFalse();
      assertThat(matches("time > 0", BARE)).isFalse();
    }
  }

  @Nested
  class Ordering {
    @Test
    void numbers() {
      Event two = metric(2L);
      assertThat(matches("metric < 3", two)).isTrue();
      assertThat(matches("metric < 2", two)).isFalse();
      assertThat(matches("metric <= 2", two)).isTrue();
      assertThat(matches("metric > 1.5", two)).isTrue();
      assertThat(matches("metric > 2", two)).isFalse();
      assertThat(matches("metric >= 2.0", two)).isTrue();
      assertThat(matches("metric > -1", two)).isTrue();
      assertThat(matches("metric>-1", two)).isTrue();
      assertThat(matches("metric < 1e300", metric(Double.POSITIVE_INFINITY))).isFalse();
      assertThat(matches("metric > 1e300", metric(Double.POSITIVE_INFINITY))).isTrue();
      assertThat(matches("metric < -1e300", metric(Double.NEGATIVE_INFINITY))).isTrue();
    }

    @Test
    void missingValuesAreNeverOrdered() {
      for (String op : List.of("<", ">", "<=", ">=")) {
        assertThat(matches("metric " + op + " 0", BARE)).as(op).isFalse();
        assertThat(matches("host " + op + " \"a\"", BARE)).as(op).isFalse();
        assertThat(matches("host " + op + " nil", WEB)).as(op).isFalse();
        assertThat(matches("metric " + op + " true", WEB)).as(op).isFalse();
      }
    }

    @Test
    void stringsAreOrderedLexicographically() {
      assertThat(matches("host > \"web-0\"", WEB)).isTrue();
      assertThat(matches("host < \"web-2\"", WEB)).isTrue();
      assertThat(matches("host >= \"web-1\"", WEB)).isTrue();
      assertThat(matches("host <= \"web-1\"", WEB)).isTrue();
      assertThat(matches("host < \"web-1\"", WEB)).isFalse();
      assertThat(matches("host > \"x\"", WEB)).isFalse();
    }

    @Test
    void stringsAndNumbersAreNotOrderedAgainstEachOther() {
      Event numericHost = Event.builder().host("5").metric(5L).build();
      assertThat(matches("host < 10", numericHost)).isFalse();
      assertThat(matches("host > 1", numericHost)).isFalse();
      assertThat(matches("metric < \"9\"", numericHost)).isFalse();
    }
  }

  @Nested
  class Logic {
    @Test
    void tagged() {
      assertThat(matches("tagged \"prod\"", WEB)).isTrue();
      assertThat(matches("tagged \"web\"", WEB)).isTrue();
      assertThat(matches("tagged \"Prod\"", WEB)).isFalse();
      assertThat(matches("tagged \"prod\"", BARE)).isFalse();
      assertThat(matches("not tagged \"db\"", WEB)).isTrue();
    }

    @Test
    void trueAndFalse() {
      assertThat(matches("true", BARE)).isTrue();
      assertThat(matches("false", BARE)).isFalse();
      assertThat(matches("not false", BARE)).isTrue();
      assertThat(matches("false or host = nil", BARE)).isTrue();
      assertThat(matches("true and false", BARE)).isFalse();
      assertThat(matches("(true)", BARE)).isTrue();
    }

    @Test
    void andOrNot() {
      assertThat(matches("host = \"web-1\" and service = \"cpu\"", WEB)).isTrue();
      assertThat(matches("host = \"web-1\" and service = \"mem\"", WEB)).isFalse();
      assertThat(matches("host = \"db\" or service = \"cpu\"", WEB)).isTrue();
      assertThat(matches("host = \"db\" or service = \"mem\"", WEB)).isFalse();
      assertThat(matches("not host = \"db\"", WEB)).isTrue();
      assertThat(matches("not not host = \"web-1\"", WEB)).isTrue();
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
      Compare a = cmp("a", Op.EQ, num(1L));
      Compare b = cmp("b", Op.EQ, num(2L));
      Compare c = cmp("c", Op.EQ, num(3L));
      assertThat(Query.parse("a = 1 or b = 2 and c = 3").expr())
          .isEqualTo(new Or(List.of(a, new And(List.of(b, c)))));
      assertThat(Query.parse("a = 1 and b = 2 or c = 3").expr())
          .isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
      assertThat(Query.parse("not a = 1 and b = 2").expr())
          .isEqualTo(new And(List.of(new Not(a), b)));
      assertThat(Query.parse("not (a = 1 and b = 2)").expr())
          .isEqualTo(new Not(new And(List.of(a, b))));
      assertThat(Query.parse("a = 1 and (b = 2 or c = 3)").expr())
          .isEqualTo(new And(List.of(a, new Or(List.of(b, c)))));
      // 'true or false and false' is true only if 'and' binds tighter.
      assertThat(matches("true or false and false", BARE)).isTrue();
      assertThat(matches("not true or true", BARE)).isTrue();
      assertThat(matches("not (true or true)", BARE)).isFalse();
    }

    @Test
    void chainsAreFlatAndParenthesesAreKept() {
      Compare a = cmp("a", Op.EQ, num(1L));
      Compare b = cmp("b", Op.EQ, num(2L));
      Compare c = cmp("c", Op.EQ, num(3L));
      assertThat(Query.parse("a = 1 and b = 2 and c = 3").expr())
          .isEqualTo(new And(List.of(a, b, c)));
      assertThat(Query.parse("(a = 1 and b = 2) and c = 3").expr())
          .isEqualTo(new And(List.of(new And(List.of(a, b)), c)));
      assertThat(Query.parse("((a = 1))").expr()).isEqualTo(a);
      assertThat(Query.parse("(a = 1 and b = 2) and c = 3").toString())
          .isEqualTo("(a = 1 and b = 2) and c = 3");
    }

    @Test
    void keywordsAreCaseSensitive() {
      assertThatThrownBy(() -> Query.parse("a = 1 AND b = 2"))
          .isInstanceOf(QueryParseException.class)
          .hasMessageStartingWith("expected 'and', 'or' or the end of the query but found 'AND'");
      // Capitalised words are attribute names.
      assertThat(Query.parse("TRUE = true").expr())
          .isEqualTo(new Compare(new Attribute("TRUE"), Op.EQ, new Value.Bool(true)));
      assertThat(Query.parse("Host = \"a\"").expr())
          .isEqualTo(new Compare(new Attribute("Host"), Op.EQ, str("a")));
    }
  }

  @Nested
  class Attributes {
    @Test
    void anyOtherIdentifierIsAnAttribute() {
      assertThat(matches("region = \"eu-west\"", WEB)).isTrue();
      assertThat(matches("region =~ \"eu-%\"", WEB)).isTrue();
      assertThat(matches("rack.id/x-y = \"r1\"", WEB)).isTrue();
      assertThat(matches("_private = nil", WEB)).isTrue();
      assertThat(Query.parse("rack.id/x-y = \"r1\"").expr())
          .isEqualTo(new Compare(new Attribute("rack.id/x-y"), Op.EQ, str("r1")));
    }

    @Test
    void absentAndNullValuedAttributesAreNil() {
      assertThat(matches("zone = nil", WEB)).isTrue();
      assertThat(matches("empty = nil", WEB)).isTrue();
      assertThat(matches("empty != nil", WEB)).isFalse();
      assertThat(matches("empty =~ \"%\"", WEB)).isFalse();
      assertThat(matches("region = nil", WEB)).isFalse();
    }

    @Test
    void attributeNamesMustBeSpellable() {
      assertThatThrownBy(() -> new Attribute("host")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Attribute("metric_f"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Attribute("and")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Attribute("a b")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Attribute("1a")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Attribute("")).isInstanceOf(IllegalArgumentException.class);
      assertThat(Field.of("host")).isEqualTo(Builtin.HOST);
      assertThat(Field.of("metric_sint64")).isEqualTo(Builtin.METRIC);
      assertThat(Field.of("zone")).isEqualTo(new Attribute("zone"));
    }
  }

  @Nested
  class Like {
    @Test
    void percentAloneMatchesAnyPresentString() {
      assertThat(matches("host =~ \"%\"", WEB)).isTrue();
      assertThat(matches("host =~ \"%\"", Event.builder().host("").build())).isTrue();
      assertThat(matches("host =~ \"%\"", Event.builder().host("a\nb").build())).isTrue();
      assertThat(matches("host =~ \"%\"", BARE)).isFalse();
      assertThat(matches("host =~ \"%%\"", WEB)).isTrue();
    }

    @Test
    void isAnchoredAtBothEnds() {
      assertThat(matches("host =~ \"web\"", WEB)).isFalse();
      assertThat(matches("host =~ \"web%\"", WEB)).isTrue();
      assertThat(matches("host =~ \"%1\"", WEB)).isTrue();
      assertThat(matches("host =~ \"%eb%\"", WEB)).isTrue();
      assertThat(matches("host =~ \"w%1\"", WEB)).isTrue();
      assertThat(matches("host =~ \"w%2\"", WEB)).isFalse();
      assertThat(matches("host =~ \"web-1\"", WEB)).isTrue();
      assertThat(matches("host =~ \"\"", Event.builder().host("").build())).isTrue();
      assertThat(matches("host =~ \"\"", WEB)).isFalse();
    }

    @Test
    void everythingButPercentIsLiteral() {
      Event dotted = Event.builder().host("a.b[1]*").service("axb").build();
      assertThat(matches("host =~ \"a.b%\"", dotted)).isTrue();
      assertThat(matches("service =~ \"a.b\"", dotted)).isFalse();
      assertThat(matches("host =~ \"%[1]*\"", dotted)).isTrue();
      assertThat(matches("host =~ \"a.b[1]*\"", dotted)).isTrue();
      assertThat(matches("service =~ \"a_b\"", dotted)).isFalse();
      assertThat(matches("service =~ \"a.*\"", dotted)).isFalse();
      Event quoted = Event.builder().host("x\\E.*y").build();
      assertThat(matches("host =~ \"x\\\\E.*%\"", quoted)).isTrue();
    }

    @Test
    void wildcardsNeedRoomForEveryPart() {
      Event aa = Event.builder().host("aa").build();
      assertThat(matches("host =~ \"%a%a\"", aa)).isTrue();
      assertThat(matches("host =~ \"%a%a%a\"", aa)).isFalse();
      assertThat(matches("host =~ \"a%a\"", Event.builder().host("a").build())).isFalse();
      assertThat(matches("host =~ \"ab%bc\"", Event.builder().host("abc").build())).isFalse();
      assertThat(matches("host =~ \"ab%bc\"", Event.builder().host("abbc").build())).isTrue();
    }

    @Test
    void doesNotMatchNumbers() {
      assertThat(matches("metric =~ \"%\"", WEB)).isFalse();
    }
  }

  @Nested
  class Regex {
    @Test
    void findsAMatchAnywhere() {
      assertThat(matches("host ~= \"eb\"", WEB)).isTrue();
      assertThat(matches("host ~= \"^web-\\\\d$\"", WEB)).isTrue();
      assertThat(matches("host ~= \"^eb\"", WEB)).isFalse();
      assertThat(matches("host ~= \"\"", WEB)).isTrue();
      assertThat(matches("service ~= \"c.u\"", WEB)).isTrue();
      assertThat(matches("host ~= \"(?i)WEB\"", WEB)).isTrue();
    }

    @Test
    void isFalseOnMissingValuesAndNumbers() {
      assertThat(matches("host ~= \"\"", BARE)).isFalse();
      assertThat(matches("metric ~= \"\"", WEB)).isFalse();
      assertThat(matches("zone ~= \".*\"", WEB)).isFalse();
    }

    @Test
    void aTreeBuiltInCodeWithABadPatternIsRejected() {
      assertThatThrownBy(() -> Query.of(new Expr.Regex(Builtin.HOST, "(")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Literals {
    @Test
    void stringEscapes() {
      assertThat(Query.parse("host = \"a\\\"b\\\\c\\nd\\te\\u00e9\\/\\r\"").expr())
          .isEqualTo(cmp("host", Op.EQ, str("a\"b\\c\nd\te\u00e9/\r")));
      assertThat(matches("host = \"w\\u0065b-1\"", WEB)).isTrue();
      assertThat(matches("description = \"all good\"", WEB)).isTrue();
    }

    @Test
    void unicodeIsKeptAsIs() {
      Event e = Event.builder().host("東京-😀").build();
      assertThat(matches("host = \"東京-😀\"", e)).isTrue();
      assertThat(matches("host =~ \"東京%\"", e)).isTrue();
      assertThat(Query.parse("host = \"東京-😀\"").toString()).isEqualTo("host = \"東京-😀\"");
    }

    @Test
    void canonicalStringsEscapeWhatCouldBreakTheText() {
      assertThat(cmp("host", Op.EQ, str("q\"b\\n\nt\t\u0001\ud800")).toString())
          .isEqualTo("host = \"q\\\"b\\\\n\\nt\\t\\u0001\\ud800\"");
    }

    @Test
    void numbers() {
      assertThat(Query.parse("metric = 42").expr()).isEqualTo(cmp("metric", Op.EQ, num(42L)));
      assertThat(Query.parse("metric = -42").expr()).isEqualTo(cmp("metric", Op.EQ, num(-42L)));
      assertThat(Query.parse("metric = 4.5").expr()).isEqualTo(cmp("metric", Op.EQ, num(4.5)));
      assertThat(Query.parse("metric = 1.").expr()).isEqualTo(cmp("metric", Op.EQ, num(1.0)));
      assertThat(Query.parse("metric = 2e3").expr()).isEqualTo(cmp("metric", Op.EQ, num(2000.0)));
      assertThat(Query.parse("metric = 2.5E-3").expr())
          .isEqualTo(cmp("metric", Op.EQ, num(0.0025)));
      assertThat(Query.parse("metric = 99999999999999999999").expr())
          .isEqualTo(cmp("metric", Op.EQ, num(1e20)));
      assertThat(Query.parse("metric = 1e20").toString()).isEqualTo("metric = 1.0E20");
      assertThatThrownBy(() -> new Value.Num(Double.NaN))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new Value.Num(1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Api {
    @Test
    void canonicalText() {
      assertThat(
              Query.parse(
                      "  service='x' or (host=\"a\"and not(metric_f>=1 or tagged \"t\")) or true"
                          .replace('\'', '"'))
                  .toString())
          .isEqualTo(
              "service = \"x\" or host = \"a\" and not (metric >= 1 or tagged \"t\") or true");
    }

    @Test
    void equalQueriesHaveEqualTrees() {
      Query q = Query.parse("host = \"a\" and metric_f > 1");
      assertThat(q).isEqualTo(Query.parse("(host = \"a\") and (metric > 1)"));
      assertThat(q).hasSameHashCodeAs(Query.parse("host = \"a\" and metric > 1"));
      assertThat(q).isNotEqualTo(Query.parse("host = \"a\" and metric > 1.0"));
      assertThat(Query.of(q.expr())).isEqualTo(q);
      assertThat(Query.parse("host ~= \"a+\"")).isEqualTo(Query.parse("host ~= \"a+\""));
    }

    @Test
    void buildsFromATree() {
      Query q =
          Query.of(
              new Or(
                  List.of(
                      new Const(false),
                      new Not(new Expr.Tagged("db")),
                      new Expr.Like(Builtin.HOST, "web%"))));
      assertThat(q.matches(WEB)).isTrue();
      assertThat(q.toString()).isEqualTo("false or not tagged \"db\" or host =~ \"web%\"");
      assertThatThrownBy(() -> new And(List.of(new Const(true))))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactValueForIndexLookups() {
      Query q = Query.parse("host = \"a\" and service = \"b\" and metric > 1");
      assertThat(q.exactValue(Builtin.HOST)).contains("a");
      assertThat(q.exactValue(Builtin.SERVICE)).contains("b");
      assertThat(q.exactValue(Builtin.STATE)).isEmpty();
      assertThat(Query.parse("host = \"a\" or service = \"b\"").exactValue(Builtin.HOST)).isEmpty();
      assertThat(Query.parse("not host = \"a\"").exactValue(Builtin.HOST)).isEmpty();
      assertThat(Query.parse("host != \"a\"").exactValue(Builtin.HOST)).isEmpty();
      assertThat(Query.parse("host =~ \"a\"").exactValue(Builtin.HOST)).isEmpty();
      assertThat(Query.parse("region = \"eu\"").exactValue(new Attribute("region")))
          .isEqualTo(Optional.of("eu"));
      assertThat(Query.parse("(host = \"a\" and true) and x = 1").exactValue(Builtin.HOST))
          .contains("a");
    }

    @Test
    void realWorldQueries() {
      assertThat(
              matches(
                  "service = \"cpu\" and (state = \"critical\" or state = \"ok\")"
                      + " and metric < 0.9 and not tagged \"maintenance\"",
                  WEB))
          .isTrue();
      assertThat(matches("(service =~ \"cpu%\" or service =~ \"mem%\") and host != nil", WEB))
          .isTrue();
    }
  }
}
