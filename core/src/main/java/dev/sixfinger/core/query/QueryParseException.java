package dev.sixfinger.core.query;

/**
 * A query that does not parse. The message names the problem and the column, then shows the query
 * with a caret under the position, e.g.:
 *
 * <pre>
 * expected a value after '=' at column 8
 *   host =
 *          ^
 * </pre>
 */
public class QueryParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Characters shown either side of the position when the query is too long to show whole. */
  private static final int CONTEXT = 40;

  private final String query;
  private final int position;
  private final String reason;

  /**
   * @param query the whole query text
   * @param position 0-based offset of the problem, in [0, query.length()]
   * @param reason what is wrong, without the position
   */
  public QueryParseException(String query, int position, String reason) {
    super(reason + " at column " + (position + 1) + "\n" + excerpt(query, position));
    this.query = query;
    this.position = position;
    this.reason = reason;
  }

  /** 0-based offset into the query, between 0 and the query's length (inclusive). */
  public int position() {
    return position;
  }

  /** The problem alone, without position or excerpt: one line, for a protocol error reply. */
  public String reason() {
    return reason;
  }

  public String query() {
    return query;
  }

  /** The query (or a window of it) on one line, and a caret under the position. */
  private static String excerpt(String query, int position) {
    int from = 0;
    int to = query.length();
    String before = "";
    String after = "";
    if (position > CONTEXT + 10) {
      from = position - CONTEXT;
      before = "...";
    }
    if (to - position > CONTEXT + 10) {
      to = position + CONTEXT;
      after = "...";
    }
    // Do not cut a surrogate pair in half.
    if (from > 0 && Character.isLowSurrogate(query.charAt(from))) {
      from++;
    }
    if (to < query.length() && Character.isLowSurrogate(query.charAt(to))) {
      to++;
    }
    StringBuilder line = new StringBuilder("  ").append(before);
    int caret = line.length();
    for (int i = from; i < to; i++) {
      char c = query.charAt(i);
      // Newlines and tabs would break the alignment of the caret.
      line.append(Character.isISOControl(c) ? ' ' : c);
      boolean pairStart =
          Character.isHighSurrogate(c)
              && i + 1 < to
              && Character.isLowSurrogate(query.charAt(i + 1));
      if (i < position && !pairStart) {
        caret++; // one column per code point
      }
    }
    line.append(after);
    return line + "\n" + " ".repeat(caret) + "^";
  }
}
