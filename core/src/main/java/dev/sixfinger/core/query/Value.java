package dev.sixfinger.core.query;

import java.util.Objects;

/**
 * The right-hand side of a comparison: a literal. {@code toString()} gives the literal as written
 * in a query.
 */
public sealed interface Value permits Value.Str, Value.Num, Value.Bool, Value.Nil {

  /** {@code nil} (also written {@code null}): the value is absent. */
  Value NIL = new Nil();

  /** A string literal. */
  record Str(String value) implements Value {
    public Str {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return Lexer.quote(value);
    }
  }

  /**
   * A number literal: a {@link Long} (written without a decimal point or exponent) or a finite
   * {@link Double}. Kept as written so that {@code toString()} parses back to an equal value.
   */
  record Num(Number value) implements Value {
    public Num {
      Objects.requireNonNull(value, "value");
      if (value instanceof Double d) {
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("a number literal must be finite: " + value);
        }
      } else if (!(value instanceof Long)) {
        throw new IllegalArgumentException(
            "a number literal is a Long or a Double, not a " + value.getClass().getName());
      }
    }

    @Override
    public String toString() {
      return value.toString();
    }
  }

  /** {@code true} or {@code false}; no event field holds one, so it only equals nothing. */
  record Bool(boolean value) implements Value {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** See {@link #NIL}. */
  record Nil() implements Value {
    @Override
    public String toString() {
      return "nil";
    }
  }
}
