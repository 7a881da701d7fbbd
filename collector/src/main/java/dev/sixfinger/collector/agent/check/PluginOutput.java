package dev.sixfinger.collector.agent.check;

/**
 * A plugin's stdout split the Nagios way: the first line is the status text, up to an optional
 * {@code |}; after it comes performance data. Later lines are long text until one contains a {@code
 * |}: the rest of that line and every line after it are performance data as well.
 *
 * @param description the status text (first line before {@code |}), trimmed, possibly empty
 * @param longText the long text lines, newline separated, possibly empty
 * @param perfData all performance data, space separated, possibly empty
 */
public record PluginOutput(String description, String longText, String perfData) {

  public static PluginOutput parse(String stdout) {
    if (stdout == null || stdout.isEmpty()) {
      return new PluginOutput("", "", "");
    }
    String[] lines = stdout.split("\r?\n", -1);
    StringBuilder longText = new StringBuilder();
    StringBuilder perf = new StringBuilder();
    String first = lines[0];
    int bar = first.indexOf('|');
    String description = bar < 0 ? first : first.substring(0, bar);
    if (bar >= 0) {
      perf.append(first, bar + 1, first.length());
    }
    boolean inPerf = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (inPerf) {
        perf.append(' ').append(line);
        continue;
      }
      bar = line.indexOf('|');
      String text = bar < 0 ? line : line.substring(0, bar);
      if (longText.length() > 0) {
        longText.append('\n');
      }
      longText.append(text);
      if (bar >= 0) {
        perf.append(' ').append(line, bar + 1, line.length());
        inPerf = true;
      }
    }
    return new PluginOutput(
        description.trim(), longText.toString().strip(), perf.toString().trim());
  }
}
