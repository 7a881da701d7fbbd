package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{host}}}, {@code {{service}}}, {@code {{metric}}}, {@code {{state}}}, {@code
 * {{description}}}, {@code {{hosts}}}, {@code {{labels.x}}} and {@code {{attributes.x}}}; unknown
 * names render as empty text.
 */
public final class Templates {
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([\\w.\\-/]+)\\s*}}");

  private Templates() {}

  public static String render(
      String template, Event event, Map<String, String> labels, List<String> hosts) {
    if (template == null) {
      return null;
    }
    Matcher m = VAR.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(value(m.group(1), event, labels, hosts)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String value(
      String name, Event e, Map<String, String> labels, List<String> hosts) {
    if (name.startsWith("labels.")) {
      return labels.getOrDefault(name.substring(7), "");
    }
    if (name.startsWith("attributes.")) {
      return e == null ? "" : e.attributes().getOrDefault(name.substring(11), "");
    }
    if (name.equals("hosts")) {
      return String.join(", ", hosts);
    }
    if (e == null) {
      return "";
    }
    Object v =
        switch (name) {
          case "host" -> e.host();
          case "service" -> e.service();
          case "state" -> e.state();
          case "description" -> e.description();
          case "metric" -> e.metric() == null ? null : formatMetric(e);
          default -> null;
        };
    return v == null ? "" : v.toString();
  }

  private static String formatMetric(Event e) {
    if (e.hasIntegerMetric()) {
      return e.metric().toString();
    }
    double d = e.metricAsDouble();
    return String.format(java.util.Locale.ROOT, "%.3g", d);
  }
}
