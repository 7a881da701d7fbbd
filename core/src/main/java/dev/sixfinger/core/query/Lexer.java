package dev.sixfinger.core.query;

import java.util.Set;

/**
 * Splits a query into tokens, one at a time, so that the parser reports the leftmost problem
 * whether it is lexical or grammatical.
 */
final class Lexer {

  /** Words read as identifiers that are never field names. Case-sensitive, like Riemann. */
  static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "tagged", "true", "false", "nil", "null");

  private static final Set<String> OPERATORS = Set.of("=", "!=", "<", ">", "<=", ">=", "=~", "~=");

  enum Kind {
    IDENT,
    STRING,
    NUMBER,
    OPERATOR,
    LPAREN,
    RPAREN,
    EOF
  }

  /**
   * One token. {@code text} is the source slice; {@code value} is the decoded string of a STRING or
   * the Long/Double of a NUMBER.
   */
  record Token(Kind kind, String text, int start, Object value) {
    boolean isKeyword(String word) {
      return kind == Kind.IDENT && text.equals(word);
    }

    /** How an error message names this token. */
    String describe() {
      return switch (kind) {
        case EOF -> "the end of the query";
        case STRING -> "string " + abbreviate(quote((String) value)); // one line, always
        case NUMBER -> "number " + abbreviate(text);
        default -> "'" + abbreviate(text) + "'";
      };
    }

    private static String abbreviate(String s) {
      return s.length() <= 30 ? s : s.substring(0, 27) + "...";
    }
  }

  private final String query;
  private int pos;

  Lexer(String query) {
    this.query = query;
  }

  Token next() {
    while (pos < query.length() && Character.isWhitespace(query.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= query.length()) {
      return new Token(Kind.EOF, "", start, null);
    }
    char c = query.charAt(pos);
    if (c == '(' || c == ')') {
      pos++;
      return new Token(c == '(' ? Kind.LPAREN : Kind.RPAREN, String.valueOf(c), start, null);
    }
    if (c == '"') {
      return string();
    }
    if (isDigit(c) || (c == '-' && pos + 1 < query.length() && isDigit(query.charAt(pos + 1)))) {
      return number();
    }
    if (isIdentifierStart(c)) {
      while (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
        pos++;
      }
      return new Token(Kind.IDENT, query.substring(start, pos), start, null);
    }
    if (isOperatorChar(c)) {
      // Take the longest run so that '==' is reported whole rather than as '=' then '='.
      while (pos < query.length() && isOperatorChar(query.charAt(pos))) {
        pos++;
      }
      String op = query.substring(start, pos);
      if (!OPERATORS.contains(op)) {
        throw new QueryParseException(
            query, start, "unknown operator '" + op + "' (expected one of = != < > <= >= =~ ~=)");
      }
      return new Token(Kind.OPERATOR, op, start, null);
    }
    throw new QueryParseException(query, start, "unexpected character " + describeChar(c));
  }

  private Token string() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= query.length()) {
        throw new QueryParseException(query, start, "unterminated string");
      }
      char c = query.charAt(pos);
      if (c == '"') {
        pos++;
        return new Token(Kind.STRING, query.substring(start, pos), start, value.toString());
      }
      if (c != '\\') {
        value.append(c);
        pos++;
        continue;
      }
      if (pos + 1 >= query.length()) {
        throw new QueryParseException(query, start, "unterminated string");
      }
      char e = query.charAt(pos + 1);
      switch (e) {
        case '"', '\\', '/', '\'' -> value.append(e);
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          value.append(unicodeEscape(pos));
          pos += 4;
        }
        default ->
            throw new QueryParseException(
                query,
                pos,
                "invalid escape \\"
                    + (Character.isISOControl(e) ? describeChar(e) : e)
                    + " in string");
      }
      pos += 2;
    }
  }

  private char unicodeEscape(int backslash) {
    int code = 0;
    for (int i = backslash + 2; i < backslash + 6; i++) {
      int digit = i < query.length() ? hexValue(query.charAt(i)) : -1;
      if (digit < 0) {
        throw new QueryParseException(
            query, backslash, "invalid escape \\u in string: expected 4 hex digits");
      }
      code = code * 16 + digit;
    }
    return (char) code;
  }

  /** ASCII hex only: Character.digit would also take, say, Arabic-Indic digits. */
  private static int hexValue(char c) {
    if (isDigit(c)) {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private Token number() {
    int start = pos;
    if (query.charAt(pos) == '-') {
      pos++;
    }
    boolean integer = true;
    skipDigits();
    if (pos < query.length() && query.charAt(pos) == '.') {
      integer = false;
      pos++;
      skipDigits();
    }
    if (pos < query.length() && (query.charAt(pos) == 'e' || query.charAt(pos) == 'E')) {
      int mark = pos++;
      if (pos < query.length() && (query.charAt(pos) == '+' || query.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < query.length() && isDigit(query.charAt(pos))) {
        integer = false;
        skipDigits();
      } else {
        pos = mark; // not an exponent: reported as malformed just below
      }
    }
    if (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
      while (pos < query.length() && isIdentifierPart(query.charAt(pos))) {
        pos++;
      }
      throw new QueryParseException(
          query, start, "malformed number '" + query.substring(start, pos) + "'");
    }
    String text = query.substring(start, pos);
    Number value = null;
    if (integer) {
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException tooBig) {
        // beyond a long: read it as a double, below
      }
    }
    if (value == null) {
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        throw new QueryParseException(query, start, "number out of range '" + text + "'");
      }
      value = d;
    }
    return new Token(Kind.NUMBER, text, start, value);
  }

  private void skipDigits() {
    while (pos < query.length() && isDigit(query.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isOperatorChar(char c) {
    return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
  }

  /** A character as an error message shows it: invisible ones by code alone. */
  static String describeChar(char c) {
    String code = String.format("U+%04X", (int) c);
    if (c > 0x20 && c < 0x7f) {
      return "'" + c + "'";
    }
    boolean invisible =
        Character.isISOControl(c)
            || Character.isSurrogate(c)
            || Character.isSpaceChar(c)
            || Character.getType(c) == Character.FORMAT;
    return invisible ? code : "'" + c + "' (" + code + ")";
  }

  /** True when the text is one identifier token. */
  static boolean isIdentifier(String text) {
    if (text.isEmpty() || !isIdentifierStart(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      if (!isIdentifierPart(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** ASCII only, like Riemann's grammar. */
  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '-' || c == '.' || c == '/';
  }

  /**
   * A string literal that reads back as {@code s}. Control characters and unpaired surrogates are
   * escaped so that the canonical text survives any transport (UTF-8 cannot carry a lone
   * surrogate).
   */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
