package dev.sixfinger.alerting.dispatch;

import dev.sixfinger.alerting.routing.Route;
import java.util.Map;
import java.util.TreeMap;

/** Deterministic group keys: {@code ROUTE_ID:{label="value",...}} with labels sorted by name. */
public final class GroupKeys {
  private GroupKeys() {}

  /** The labels of {@code alertLabels} that split alerts into groups on this route. */
  public static Map<String, String> groupLabels(Route route, Map<String, String> alertLabels) {
    if (route.groupByAll()) {
      return new TreeMap<>(alertLabels);
    }
    Map<String, String> out = new TreeMap<>();
    for (String l : route.groupBy()) {
      String v = alertLabels.get(l);
      if (v != null) {
        out.put(l, v);
      }
    }
    return out;
  }

  public static String of(Route route, Map<String, String> groupLabels) {
    StringBuilder b = new StringBuilder(route.id()).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
    }
    return b.append('}').toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
