package dev.sixfinger.core.query;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed query: plain data, so that other modules can inspect it (for instance to turn {@code
 * host = "a" and service = "b"} into an index lookup). {@link Query} compiles one for matching.
 *
 * <p>{@code toString()} gives the canonical query text, which parses back to an equal tree: {@code
 * and}/{@code or} chains are n-ary, and a parenthesised chain stays a separate node.
 */
public sealed interface Expr
    permits Expr.And,
        Expr.Or,
        Expr.Not,
        Expr.Const,
        Expr.Compare,
        Expr.Like,
        Expr.Regex,
        Expr.Tagged {

  /**
   * The string a field must equal for this expression to match, when the expression says so
   * outright: {@code field = "v"}, or a conjunction with such a term. Empty when it does not (an
   * {@code or}, a {@code not}, a pattern...). A lookup by this value and then a full match is
   * exact.
   */
  default Optional<String> exactValue(Field field) {
    return Optional.empty();
  }

  /** All terms match; at least two terms. */
  record And(List<Expr> terms) implements Expr {
    public And {
      terms = List.copyOf(terms);
      if (terms.size() < 2) {
        throw new IllegalArgumentException("'and' needs at least two terms, got " + terms.size());
      }
    }

    @Override
    public Optional<String> exactValue(Field field) {
      for (Expr term : terms) {
        Optional<String> value = term.exactValue(field);
        if (value.isPresent()) {
          return value;
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (Expr term : terms) {
        if (out.length() > 0) {
          out.append(" and ");
        }
        // A nested chain needs parentheses to stay a separate node.
        out.append(term instanceof And || term instanceof Or ? "(" + term + ")" : term);
      }
      return out.toString();
    }
  }

  /** Any term matches; at least two terms. */
  record Or(List<Expr> terms) implements Expr {
    public Or {
      terms = List.copyOf(terms);
      if (terms.size() < 2) {
        throw new IllegalArgumentException("'or' needs at least two terms, got " + terms.size());
      }
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (Expr term : terms) {
        if (out.length() > 0) {
          out.append(" or ");
        }
        // 'and' binds tighter than 'or', so only a nested 'or' needs parentheses.
        out.append(term instanceof Or ? "(" + term + ")" : term);
      }
      return out.toString();
    }
  }

  /** The operand does not match. */
  record Not(Expr operand) implements Expr {
    public Not {
      Objects.requireNonNull(operand, "operand");
    }

    @Override
    public String toString() {
      return operand instanceof And || operand instanceof Or
          ? "not (" + operand + ")"
          : "not " + operand;
    }
  }

  /** {@code true} matches every event, {@code false} none. */
  record Const(boolean value) implements Expr {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** {@code field op value}, e.g. {@code metric >= 0.9} or {@code host = nil}. */
  record Compare(Field field, Op op, Value value) implements Expr {
    public Compare {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Optional<String> exactValue(Field wanted) {
      return op == Op.EQ && field.equals(wanted) && value instanceof Value.Str str
          ? Optional.of(str.value())
          : Optional.empty();
    }

    @Override
    public String toString() {
      return field + " " + op + " " + value;
    }
  }

  /**
   * {@code field =~ "pattern"}: SQL LIKE, {@code %} matches any run of characters, everything else
   * is literal, and the whole value must match.
   */
  record Like(Field field, String pattern) implements Expr {
    public Like {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
      return field + " =~ " + Lexer.quote(pattern);
    }
  }

  /**
   * {@code field ~= "regex"}: a Java regular expression found anywhere in the value (Riemann's
   * {@code re-find}). {@link Query#of} rejects a pattern that does not compile.
   */
  record Regex(Field field, String pattern) implements Expr {
    public Regex {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
      return field + " ~= " + Lexer.quote(pattern);
    }
  }

  /** {@code tagged "tag"}: the event carries the tag. */
  record Tagged(String tag) implements Expr {
    public Tagged {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public String toString() {
      return "tagged " + Lexer.quote(tag);
    }
  }
}
