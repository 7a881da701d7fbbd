package dev.sixfinger.scheduler.job;

import java.util.Map;
import java.util.Objects;

/** A placement constraint on a host attribute: it must equal, or must not equal, a value. */
public record Constraint(String attribute, Op op, String value) {
  public enum Op {
    EQUALS("="),
    NOT_EQUALS("!=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public static Op parse(String text) {
      for (Op op : values()) {
        if (op.symbol.equals(text) || op.name().equalsIgnoreCase(text)) {
          return op;
        }
      }
      throw new IllegalArgumentException(
          "constraint operator must be EQUALS or NOT_EQUALS, got '" + text + "'");
    }
  }

  public Constraint {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  /** A host without the attribute does not equal any value, so NOT_EQUALS accepts it. */
  public boolean test(Map<String, String> attributes) {
    boolean equal = value.equals(attributes.get(attribute));
    return op == Op.EQUALS ? equal : !equal;
  }

  @Override
  public String toString() {
    return attribute + " " + op.symbol + " " + value;
  }
}
