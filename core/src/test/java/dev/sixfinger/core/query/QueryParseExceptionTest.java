package dev.sixfinger.core.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sixfinger.core.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParseExceptionTest {

  private static QueryParseException error(String query) {
    return catchThrowableOfType(QueryParseException.class, () -> Query.parse(query));
  }

  /** Checks the reason, the position, and the caret display. */
  private static void assertError(String query, int position, String reason) {
    QueryParseException e = error(query);
    assertThat(e).as("parsing %s", query).isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.position()).isEqualTo(position);
    assertThat(e.query()).isEqualTo(query);
    assertThat(e.getMessage())
        .isEqualTo(
            reason
                + " at column "
                + (position + 1)
                + "\n  "
                + query
                + "\n  "
                + " ".repeat(position)
                + "^");
  }

  @Test
  void theMessageNamesTheProblemAndShowsACaret() {
    QueryParseException e = error("host = ");
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getMessage())
        .isEqualTo("expected a value after '=' at column 8\n  host = \n         ^");
    assertThat(e.position()).isEqualTo(7);
  }

  @Test
  void unexpectedEnd() {
    assertError("host", 4, "expected an operator after 'host'");
    assertError("host =~", 7, "expected a string pattern after '=~'");
    assertError("host = \"a\" and", 14, "expected a condition after 'and'");
    assertError("host = \"a\" or ", 14, "expected a condition after 'or'");
    assertError("not", 3, "expected a condition after 'not'");
    assertError("tagged", 6, "expected a string after 'tagged'");
  }

  @Test
  void wrongToken() {
    assertError("host = )", 7, "expected a value after '=' but found ')'");
    assertError("host = web", 7, "expected a value after '=' but found 'web'");
    assertError("host ~= 5", 8, "expected a string pattern after '~=' but found number 5");
    assertError("tagged prod", 7, "expected a string after 'tagged' but found 'prod'");
    assertError("host \"a\"", 5, "expected an operator after 'host' but found string \"a\"");
    assertError("= 1", 0, "expected a condition but found '='");
    assertError("nil = 1", 0, "expected a condition but found 'nil'");
    assertError("5 = metric", 0, "expected a condition but found number 5");
    assertError("\"a\" = host", 0, "expected a condition but found string \"a\"");
    assertError("()", 1, "expected a condition after '(' but found ')'");
    assertError("host = \"a\" and or", 15, "expected a condition after 'and' but found 'or'");
    String longString = "\"" + "a".repeat(40) + "\"";
    assertError(
        "host = " + longString + " \"b\"",
        50,
        "expected 'and', 'or' or the end of the query but found string \"b\"");
    // A long token is cut short in the message (the caret shows where it is).
    assertError(
        "x = 1 " + longString,
        6,
        "expected 'and', 'or' or the end of the query but found string \""
            + "a".repeat(26)
            + "...");
  }

  @Test
  void unknownOperator() {
    String expected = " (expected one of = != < > <= >= =~ ~=)";
    assertError("host == \"a\"", 5, "unknown operator '=='" + expected);
    assertError("host ! \"a\"", 5, "unknown operator '!'" + expected);
    assertError("host ~ \"a\"", 5, "unknown operator '~'" + expected);
    assertError("metric => 1", 7, "unknown operator '=>'" + expected);
    assertError("metric <> 1", 7, "unknown operator '<>'" + expected);
  }

  @Test
  void unexpectedCharacters() {
    assertError("host = 'a'", 7, "unexpected character '''");
    assertError("host @ 1", 5, "unexpected character '@'");
    assertError("host ≠ 1", 5, "unexpected character '≠' (U+2260)");
    assertError("host =\u00a01", 6, "unexpected character U+00A0");
    assertError("host = -", 7, "unexpected character '-'");
    // A control character is shown as a space, so that the caret stays aligned.
    assertError(
        "host = \u0000",
        7,
        "unexpected character U+0000",
        Query.DEFAULT_MAX_LENGTH,
        Query.DEFAULT_MAX_DEPTH);
    assertThat(error("host = \u0000").getMessage()).endsWith("\n  host =  \n         ^");
  }

  @Test
  void strings() {
    assertError("host = \"web", 7, "unterminated string");
    assertError("host = \"web\\\"", 7, "unterminated string");
    assertError("host = \"web\\", 7, "unterminated string");
    assertError("host = \"a\\qb\"", 9, "invalid escape \\q in string");
    assertError("host = \"a\\u00g1\"", 9, "invalid escape \\u in string: expected 4 hex digits");
    assertError("host = \"a\\u00", 9, "invalid escape \\u in string: expected 4 hex digits");
    assertError(
        "host = \"\\u\u0661\u0662\u0663\u0664\"",
        8,
        "invalid escape \\u in string: expected 4 hex digits");
  }

  @Test
  void numbers() {
    assertError("metric = 1abc", 9, "malformed number '1abc'");
    assertError("metric = 1e", 9, "malformed number '1e'");
    assertError("metric = 1.2.3", 9, "malformed number '1.2.3'");
    assertError("metric = 1e400", 9, "number out of range '1e400'");
  }

  @Test
  void parentheses() {
    assertError("(host = \"a\"", 0, "unclosed '('");
    assertError("(host = \"a\" and (x = 1)", 0, "unclosed '('");
    assertError("((x = 1) or y = 2", 0, "unclosed '('");
    assertError("host = \"a\")", 10, "unmatched ')'");
    assertError("(x = 1))", 7, "unmatched ')'");
    assertError("(x = 1 y = 2)", 7, "expected 'and', 'or' or ')' but found 'y'");
  }

  @Test
  void trailingGarbage() {
    assertError("x = 1 y", 6, "expected 'and', 'or' or the end of the query but found 'y'");
    assertError("true false", 5, "expected 'and', 'or' or the end of the query but found 'false'");
    assertError("x = 1 (", 6, "expected 'and', 'or' or the end of the query but found '('");
  }

  @Test
  void emptyQuery() {
    assertError("", 0, "empty query");
    assertError("   ", 0, "empty query");
  }

  @Test
  void invalidRegexIsReportedAtThePattern() {
    assertError("host ~= \"(web\"", 8, "invalid regular expression: Unclosed group");
    assertError(
        "x = 1 and host ~= \"[a\"", 18, "invalid regular expression: Unclosed character class");
  }

  @Test
  void lengthLimit() {
    String ok = "host = \"" + "a".repeat(Query.DEFAULT_MAX_LENGTH - 9) + "\"";
    assertThat(ok).hasSize(Query.DEFAULT_MAX_LENGTH);
    assertThat(Query.parse(ok).expr()).isInstanceOf(Expr.Compare.class);

    String tooLong = ok + " ";
    QueryParseException e = error(tooLong);
    assertThat(e.reason())
        .isEqualTo("query is 65537 characters long, longer than the limit of 65536 characters");
    assertThat(e.position()).isEqualTo(65536);
    // The display is a window around the position, not the whole query.
    assertThat(e.getMessage().length()).isLessThan(300);

    assertError(
        "host = \"ab\"",
        5,
        "query is 11 characters long, longer than the limit of 5 characters",
        5,
        256);
  }

  @Test
  void depthLimit() {
    int limit = Query.DEFAULT_MAX_DEPTH;
    String deepest = "(".repeat(limit) + "x = 1" + ")".repeat(limit);
    assertThat(Query.parse(deepest).toString()).isEqualTo("x = 1");
    String tooDeep = "(".repeat(limit + 1) + "x = 1" + ")".repeat(limit + 1);
    QueryParseException e = error(tooDeep);
    assertThat(e.reason()).isEqualTo("nesting deeper than the limit of 256 levels");
    assertThat(e.position()).isEqualTo(limit);

    assertThat(Query.parse("not ".repeat(limit) + "true").matches(Event.builder().build()))
        .isTrue();
    assertThat(error("not ".repeat(limit + 1) + "true").position()).isEqualTo(4 * limit);
    // Parentheses and 'not' count together.
    assertThat(error("not (".repeat(limit / 2 + 1) + "true" + ")".repeat(limit / 2 + 1)))
        .isNotNull();

    assertError("not (x = 1)", 4, "nesting deeper than the limit of 1 levels", 100, 1);
  }

  @Test
  void hugeInputsNeverOverflowTheStack() {
    // Long flat chains are built iteratively; deep nesting is stopped by the limit.
    String chain = "x = 1 and ".repeat(6000) + "true";
    assertThat(Query.parse(chain).matches(Event.builder().build())).isFalse();
    assertThat(error("(".repeat(60_000)).reason()).startsWith("nesting deeper");
    assertThat(error("not ".repeat(16_000)).reason()).startsWith("nesting deeper");
  }

  @Test
  void displayKeepsTheCaretAligned() {
    QueryParseException e = error("host = \"a\"\n\tand ==");
    assertThat(e.position()).isEqualTo(16);
    assertThat(e.getMessage().lines())
        .containsExactly(
            "unknown operator '==' (expected one of = != < > <= >= =~ ~=) at column 17",
            "  host = \"a\"  and ==",
            "                  ^");
    // One column per code point, so an emoji before the problem does not shift the caret.
    e = error("host = \"😀\" ==");
    assertThat(e.getMessage()).endsWith("\n  host = \"😀\" ==\n" + "  " + " ".repeat(11) + "^");
  }

  @Test
  void longQueriesShowAWindowAroundThePosition() {
    String query = "x = 1 and ".repeat(20) + "y == 2" + " and z = 3".repeat(20);
    QueryParseException e = error(query);
    assertThat(e.position()).isEqualTo(202);
    List<String> lines = e.getMessage().lines().toList();
    assertThat(lines.get(1)).startsWith("  ...").endsWith("...");
    assertThat(lines.get(2).indexOf('^')).isEqualTo(lines.get(1).indexOf("=="));
  }

  private static void assertError(
      String query, int position, String reason, int maxLength, int maxDepth) {
    QueryParseException e =
        catchThrowableOfType(
            QueryParseException.class, () -> Query.parse(query, maxLength, maxDepth));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.position()).isEqualTo(position);
  }
}
