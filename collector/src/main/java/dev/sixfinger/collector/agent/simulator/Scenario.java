package dev.sixfinger.collector.agent.simulator;

import dev.sixfinger.core.time.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault switched on in part of a simulated fleet at a time offset, written {@code
 * KIND:COUNT@OFFSET}: {@code swap-storm:25%@60s} makes a quarter of the hosts swap heavily after a
 * minute, {@code host-silent:2@30s} makes two hosts stop reporting after 30 seconds. An optional
 * {@code +DURATION} ends it again: {@code swap-storm:25%@60s+5m}.
 *
 * @param kind what goes wrong
 * @param count how many hosts, or
 * @param percent what share of the hosts (0 when count is used)
 * @param start when it starts, from the simulator's start
 * @param duration how long it lasts, or null for the rest of the run
 */
public record Scenario(Kind kind, int count, double percent, Duration start, Duration duration) {

  /** The faults the simulator knows. */
  public enum Kind {
    /** swap/in-rate and swap/out-rate in the thousands of pages per second, swap mostly used. */
    SWAP_STORM,
    /** The host sends nothing at all; its events expire downstream. */
    HOST_SILENT,
    /** disk/used-fraction of / climbs to 0.97 and above. */
    DISK_FULL,
    /** load/1 several times the core count. */
    LOAD_SPIKE,
    /** Many processes in uninterruptible sleep (D state). */
    D_STATE,
    /** The simulated health check reports critical. */
    CHECK_FAILING;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Kind parse(String text, String whole) {
      for (Kind k : values()) {
        if (k.label().equals(text)) {
          return k;
        }
      }
      StringBuilder known = new StringBuilder();
      for (Kind k : values()) {
        known.append(known.length() == 0 ? "" : ", ").append(k.label());
      }
      throw new IllegalArgumentException(
          "scenario '" + whole + "': unknown kind '" + text + "'; known kinds: " + known);
    }
  }

  private static final Pattern FORM =
      Pattern.compile("([a-z-]+):(\\d+(?:\\.\\d+)?)(%?)@([0-9a-z.]+)(?:\\+([0-9a-z.]+))?");

  /** Parses {@code KIND:COUNT[%]@OFFSET[+DURATION]}, with errors that show the expected form. */
  public static Scenario parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "scenario '"
              + text
              + "' is not of the form KIND:COUNT@OFFSET or KIND:PERCENT%@OFFSET"
              + " (e.g. swap-storm:25%@60s, host-silent:2@30s+5m)");
    }
    Kind kind = Kind.parse(m.group(1), text);
    boolean isPercent = !m.group(3).isEmpty();
    double amount = Double.parseDouble(m.group(2));
    if (isPercent && (amount <= 0 || amount > 100)) {
      throw new IllegalArgumentException(
          "scenario '" + text + "': the share must be above 0% and at most 100%");
    }
    if (!isPercent && amount != Math.rint(amount)) {
      throw new IllegalArgumentException(
          "scenario '" + text + "': a host count must be a whole number; use % for a share");
    }
    Duration start = Durations.parse(m.group(4), "scenario '" + text + "' offset");
    Duration duration =
        m.group(5) == null ? null : Durations.parse(m.group(5), "scenario '" + text + "' length");
    return new Scenario(
        kind, isPercent ? 0 : (int) amount, isPercent ? amount : 0, start, duration);
  }

  /** How many of {@code hosts} hosts this scenario affects. */
  public int hostsAffected(int hosts) {
    if (percent > 0) {
      return (int) Math.min(hosts, Math.round(hosts * percent / 100.0));
    }
    return Math.min(hosts, count);
  }

  /** Whether it is in force at {@code elapsed} since the start of the run. */
  public boolean activeAt(Duration elapsed) {
    if (elapsed.compareTo(start) < 0) {
      return false;
    }
    return duration == null || elapsed.compareTo(start.plus(duration)) < 0;
  }

  @Override
  public String toString() {
    String amount =
        percent > 0 ? (percent == Math.rint(percent) ? (long) percent : percent) + "%" : "" + count;
    return kind.label()
        + ":"
        + amount
        + "@"
        + start.toSeconds()
        + "s"
        + (duration == null ? "" : "+" + duration.toSeconds() + "s");
  }
}
