package dev.sixfinger.collector.agent.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser for Nagios performance data: space separated {@code 'label'=value[UOM];[warn];[crit];
 * [min];[max]} items, labels optionally single-quoted (a quote inside written as {@code ''}).
 *
 * <p>Defensive by design: whatever the input, it returns; an item it cannot read is kept verbatim
 * in {@link Parsed#malformed()} and the rest is still parsed. The value {@code U} ("undetermined")
 * gives an item without a value. A comma is accepted as decimal separator (some plugins print it).
 * Units are not converted: {@code 10KB} is 10 with unit {@code KB}.
 */
public final class PerfData {

  /** More items than this in one run are ignored, so a chatty check cannot flood the pipeline. */
  public static final int MAX_ITEMS = 100;

  // number, then the unit: anything that cannot be mistaken for more of the number
  private static final Pattern VALUE =
      Pattern.compile(
          "([-+]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][-+]?\\d+)?)([^\\d.,+\\-][^;]*)?");

  /**
   * One performance data item.
   *
   * @param label the label, unquoted
   * @param value a {@link Long} or {@link Double}, or null for {@code U}
   * @param unit the unit of measure, or null
   * @param warn the warning range as written, or null
   * @param crit the critical range as written, or null
   * @param min the minimum as written, or null
   * @param max the maximum as written, or null
   */
  public record Item(
      String label, Number value, String unit, String warn, String crit, String min, String max) {}

  /**
   * What was read.
   *
   * @param items the readable items, in order, at most {@link #MAX_ITEMS}
   * @param malformed the unreadable items, verbatim
   * @param overLimit how many readable items were dropped beyond {@link #MAX_ITEMS}
   */
  public record Parsed(List<Item> items, List<String> malformed, int overLimit) {
    public Parsed {
      items = List.copyOf(items);
      malformed = List.copyOf(malformed);
    }
  }

  private PerfData() {}

  public static Parsed parse(String text) {
    List<Item> items = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    int overLimit = 0;
    if (text == null) {
      return new Parsed(items, malformed, 0);
    }
    int n = text.length();
    int i = 0;
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      String label;
      if (text.charAt(i) == '\'') {
        StringBuilder quoted = new StringBuilder();
        boolean closed = false;
        i++;
        while (i < n) {
          char c = text.charAt(i++);
          if (c != '\'') {
            quoted.append(c);
          } else if (i < n && text.charAt(i) == '\'') {
            quoted.append('\'');
            i++;
          } else {
            closed = true;
            break;
          }
        }
        if (!closed) {
          malformed.add(text.substring(start));
          break;
        }
        label = quoted.toString();
      } else {
        while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        label = text.substring(start, i);
      }
      if (i >= n || text.charAt(i) != '=') {
        i = endOfToken(text, i);
        malformed.add(text.substring(start, i));
        continue;
      }
      int end = endOfToken(text, i + 1);
      Item item = label.isEmpty() ? null : item(label, text.substring(i + 1, end));
      if (item == null) {
        malformed.add(text.substring(start, end));
      } else if (items.size() < MAX_ITEMS) {
        items.add(item);
      } else {
        overLimit++;
      }
      i = end;
    }
    return new Parsed(items, malformed, overLimit);
  }

  private static int endOfToken(String text, int i) {
    while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Reads {@code value[UOM];[warn];[crit];[min];[max]}, or returns null when it cannot. */
  private static Item item(String label, String data) {
    String[] fields = data.split(";", -1);
    for (int f = 5; f < fields.length; f++) {
      if (!fields[f].isEmpty()) {
        return null; // more than five fields: not perfdata we understand
      }
    }
    Number value;
    String unit;
    if (fields[0].equals("U")) {
      value = null;
      unit = null;
    } else {
      Matcher m = VALUE.matcher(fields[0]);
      if (!m.matches()) {
        return null;
      }
      value = number(m.group(1));
      unit = m.group(2);
    }
    return new Item(
        label, value, unit, field(fields, 1), field(fields, 2), field(fields, 3), field(fields, 4));
  }

  private static Number number(String s) {
    if (s.indexOf('.') < 0 && s.indexOf(',') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooBig) {
        // falls through to a double
      }
    }
    return Double.parseDouble(s.replace(',', '.'));
  }

  private static String field(String[] fields, int index) {
    return index < fields.length && !fields[index].isEmpty() ? fields[index] : null;
  }
}
