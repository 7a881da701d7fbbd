package dev.sixfinger.rules.ruletest;

/** Formats offsets from a test's start the way tests write them: {@code +5m}, {@code +1m1.5s}. */
final class Offsets {
  private Offsets() {}

  static String format(long micros) {
    StringBuilder b = new StringBuilder(micros < 0 ? "-" : "+");
    long m = Math.abs(micros);
    long hours = m / 3_600_000_000L;
    long minutes = m / 60_000_000L % 60;
    long rest = m % 60_000_000L;
    if (hours > 0) {
      b.append(hours).append('h');
    }
    if (minutes > 0) {
      b.append(minutes).append('m');
    }
    if (rest > 0 || m == 0) {
      b.append(rest / 1_000_000L);
      long fraction = rest % 1_000_000L;
      if (fraction > 0) {
        b.append('.').append(String.format("%06d", fraction).replaceAll("0+$", ""));
      }
      b.append('s');
    }
    return b.toString();
  }
}
