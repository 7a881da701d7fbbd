package dev.sixfinger.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A node of the routing tree, with Alertmanager's semantics: an alert enters at the root (which
 * matches everything) and descends into the first child whose matchers match; a child with {@code
 * continue: true} lets the search go on to its later siblings, so one alert can reach several
 * receivers. An alert that matches no child stays at the node. Children inherit receiver, {@code
 * group_by} and the three timings from their parent unless they set them.
 *
 * @param id stable identity of the node, built from the matchers on the path from the root, e.g.
 *     {@code {}/{severity="critical"}}; part of every group key, so that reordering routes does not
 *     re-page
 * @param groupBy labels that split alerts into groups; ignored when {@code groupByAll}
 * @param groupByAll {@code group_by: ['...']}: every distinct label set is its own group
 */
public record Route(
    String id,
    String receiver,
    List<Matcher> matchers,
    boolean continueMatching,
    Set<String> groupBy,
    boolean groupByAll,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    List<Route> routes) {

  /** Alertmanager's defaults. */
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);

  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  public Route {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(receiver, "receiver");
    matchers = List.copyOf(matchers);
    groupBy = Set.copyOf(groupBy);
    routes = List.copyOf(routes);
    if (groupWait.isNegative()
        || groupInterval.isNegative()
        || groupInterval.isZero()
        || repeatInterval.isNegative()
        || repeatInterval.isZero()) {
      throw new IllegalArgumentException(
          "route " + id + ": group_wait must be >= 0, group_interval and repeat_interval > 0");
    }
  }

  /**
   * The nodes this alert is routed to, in tree order: none if this node does not match, else the
   * matching descendants (honouring {@code continue}), or this node when no child matches.
   */
  public List<Route> match(Map<String, String> labels) {
    if (!Matcher.all(matchers, labels)) {
      return List.of();
    }
    List<Route> out = new ArrayList<>();
    for (Route child : routes) {
      List<Route> m = child.match(labels);
      out.addAll(m);
      if (!m.isEmpty() && !child.continueMatching) {
        break;
      }
    }
    if (out.isEmpty()) {
      out.add(this);
    }
    return out;
  }

  /** Every node of the tree, this one first, depth first. */
  public List<Route> all() {
    List<Route> out = new ArrayList<>();
    out.add(this);
    routes.forEach(r -> out.addAll(r.all()));
    return out;
  }
}
