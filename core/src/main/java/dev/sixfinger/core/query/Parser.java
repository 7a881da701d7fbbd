package dev.sixfinger.core.query;

import dev.sixfinger.core.query.Lexer.Kind;
import dev.sixfinger.core.query.Lexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over this grammar (precedence not &gt; and &gt; or):
 *
 * <pre>
 * query     := or EOF
 * or        := and ("or" and)*
 * and       := unary ("and" unary)*
 * unary     := "not" unary | primary
 * primary   := "(" or ")" | "true" | "false" | "tagged" STRING | field condition
 * condition := ("=" | "!=" | "&lt;" | "&gt;" | "&lt;=" | "&gt;=") value | ("=~" | "~=") STRING
 * value     := STRING | NUMBER | "true" | "false" | "nil" | "null"
 * </pre>
 *
 * <p>Chains of and/or are built iteratively, so only parentheses and {@code not} recurse; they are
 * counted against the depth limit so that no query can overflow the stack.
 */
final class Parser {
  private final String query;
  private final int maxDepth;
  private final Lexer lexer;
  private final Map<String, Pattern> regexes = new HashMap<>();
  private Token token;
  private Token previous;
  private int depth;

  private Parser(String query, int maxDepth) {
    this.query = query;
    this.maxDepth = maxDepth;
    this.lexer = new Lexer(query);
  }

  /** Parses a query; the compiled regular expressions are added to {@code regexes} by source. */
  static Expr parse(String query, int maxLength, int maxDepth, Map<String, Pattern> regexes) {
    if (query.length() > maxLength) {
      throw new QueryParseException(
          query,
          maxLength,
          "query is "
              + query.length()
              + " characters long, longer than the limit of "
              + maxLength
              + " characters");
    }
    Parser parser = new Parser(query, maxDepth);
    Expr expr = parser.parseQuery();
    regexes.putAll(parser.regexes);
    return expr;
  }

  private Expr parseQuery() {
    advance();
    if (token.kind() == Kind.EOF) {
      throw new QueryParseException(query, 0, "empty query");
    }
    Expr expr = parseOr();
    if (token.kind() == Kind.RPAREN) {
      throw error(token, "unmatched ')'");
    }
    if (token.kind() != Kind.EOF) {
      throw error(
          token, "expected 'and', 'or' or the end of the query but found " + token.describe());
    }
    return expr;
  }

  private Expr parseOr() {
    Expr first = parseAnd();
    if (!token.isKeyword("or")) {
      return first;
    }
    List<Expr> terms = new ArrayList<>();
    terms.add(first);
    while (token.isKeyword("or")) {
      advance();
      terms.add(parseAnd());
    }
    return new Expr.Or(terms);
  }

  private Expr parseAnd() {
    Expr first = parseUnary();
    if (!token.isKeyword("and")) {
      return first;
    }
    List<Expr> terms = new ArrayList<>();
    terms.add(first);
    while (token.isKeyword("and")) {
      advance();
      terms.add(parseUnary());
    }
    return new Expr.And(terms);
  }

  private Expr parseUnary() {
    if (!token.isKeyword("not")) {
      return parsePrimary();
    }
    enter(token);
    advance();
    Expr operand = parseUnary();
    depth--;
    return new Expr.Not(operand);
  }

  private Expr parsePrimary() {
    Token start = token;
    if (start.kind() == Kind.LPAREN) {
      enter(start);
      advance();
      Expr inner = parseOr();
      if (token.kind() == Kind.EOF) {
        throw error(start, "unclosed '('");
      }
      if (token.kind() != Kind.RPAREN) {
        throw error(token, "expected 'and', 'or' or ')' but found " + token.describe());
      }
      advance();
      depth--;
      return inner;
    }
    if (start.kind() != Kind.IDENT) {
      throw expectedCondition();
    }
    if (start.isKeyword("true") || start.isKeyword("false")) {
      advance();
      return new Expr.Const(start.text().equals("true"));
    }
    if (start.isKeyword("tagged")) {
      advance();
      return new Expr.Tagged(expectString("a string", start));
    }
    if (Lexer.KEYWORDS.contains(start.text())) {
      throw expectedCondition();
    }
    advance();
    return parseCondition(Field.of(start.text()), start);
  }

  private Expr parseCondition(Field field, Token fieldToken) {
    Token op = token;
    if (op.kind() != Kind.OPERATOR) {
      throw expected("an operator", fieldToken);
    }
    advance();
    if (op.text().equals("=~")) {
      return new Expr.Like(field, expectString("a string pattern", op));
    }
    if (op.text().equals("~=")) {
      Token patternToken = token;
      String pattern = expectString("a string pattern", op);
      try {
        regexes.computeIfAbsent(pattern, Pattern::compile);
      } catch (PatternSyntaxException e) {
        throw error(patternToken, "invalid regular expression: " + e.getDescription());
      }
      return new Expr.Regex(field, pattern);
    }
    return new Expr.Compare(field, operator(op.text()), parseValue(op));
  }

  private Value parseValue(Token op) {
    Token v = token;
    Value value;
    if (v.kind() == Kind.STRING) {
      value = new Value.Str((String) v.value());
    } else if (v.kind() == Kind.NUMBER) {
      value = new Value.Num((Number) v.value());
    } else if (v.isKeyword("true") || v.isKeyword("false")) {
      value = new Value.Bool(v.text().equals("true"));
    } else if (v.isKeyword("nil") || v.isKeyword("null")) {
      value = Value.NIL;
    } else {
      throw expected("a value", op);
    }
    advance();
    return value;
  }

  private static Op operator(String symbol) {
    for (Op op : Op.values()) {
      if (op.symbol().equals(symbol)) {
        return op;
      }
    }
    throw new IllegalStateException("lexer let through operator " + symbol);
  }

  private String expectString(String what, Token after) {
    if (token.kind() != Kind.STRING) {
      throw expected(what, after);
    }
    String value = (String) token.value();
    advance();
    return value;
  }

  private void enter(Token token) {
    if (++depth > maxDepth) {
      throw error(token, "nesting deeper than the limit of " + maxDepth + " levels");
    }
  }

  private void advance() {
    previous = token;
    token = lexer.next();
  }

  private QueryParseException expectedCondition() {
    String after = previous == null ? "" : " after '" + previous.text() + "'";
    return error(token, "expected a condition" + after + foundClause());
  }

  private QueryParseException expected(String what, Token after) {
    return error(token, "expected " + what + " after '" + after.text() + "'" + foundClause());
  }

  /** The end of the query is plain from the caret, so only a real token is named. */
  private String foundClause() {
    return token.kind() == Kind.EOF ? "" : " but found " + token.describe();
  }

  private QueryParseException error(Token at, String reason) {
    return new QueryParseException(query, at.start(), reason);
  }
}
