package dev.sixfinger.core.query;

/** A comparison operator. {@code toString()} gives its symbol. */
public enum Op {
  EQ("="),
  NE("!="),
  LT("<"),
  GT(">"),
  LE("<="),
  GE(">=");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  @Override
  public String toString() {
    return symbol;
  }
}
