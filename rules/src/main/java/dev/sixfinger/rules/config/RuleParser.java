package dev.sixfinger.rules.config;

import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.query.QueryParseException;
import dev.sixfinger.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses one rule file (a YAML list of rules), collecting every error with its line and column
 * instead of stopping at the first. See RULES.md for the format.
 */
public final class RuleParser {
  static final Set<String> RULE_KEYS =
      Set.of(
          "name",
          "match",
          "by",
          "condition",
          "for",
          "window",
          "aggregate",
          "alert",
          "health",
          "fleet");
  static final Set<String> ALERT_KEYS = Set.of("severity", "labels", "summary", "description");
  static final Set<String> HEALTH_KEYS = Set.of("action", "reason");
  static final Set<String> FLEET_KEYS = Set.of("fraction");
  static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
  static final Set<String> ACTIONS = Set.of("cordon", "drain");
  static final Set<String> AGGREGATES = Set.of("mean", "min", "max", "sum", "count");
  static final List<String> DEFAULT_BY = List.of("host", "service");

  private final String file;
  private final List<RuleError> errors;
  private final YamlNodes yaml;

  private RuleParser(String file, List<RuleError> errors) {
    this.file = file;
    this.errors = errors;
    this.yaml = new YamlNodes(file, errors);
  }

  /**
   * Parses {@code text}; the rules that parsed cleanly are returned, errors go to {@code errors}.
   */
  public static List<Rule> parse(String file, String text, List<RuleError> errors) {
    return new RuleParser(file, errors).parseFile(text);
  }

  private List<Rule> parseFile(String text) {
    List<Rule> rules = new ArrayList<>();
    for (Node item : YamlNodes.items(file, text, "a rule file must be a list of rules", errors)) {
      Rule parsed = parseRule(item);
      if (parsed != null) {
        rules.add(parsed);
      }
    }
    return rules;
  }

  private Rule parseRule(Node node) {
    Map<String, NodeTuple> m = yaml.mapping(node, "a rule", RULE_KEYS);
    if (m == null) {
      return null;
    }
    int before = errors.size();
    String name = requiredString(node, m, "name");
    Query match = query(yaml.requiredNode(node, m, "match"));
    Query condition = query(yaml.requiredNode(node, m, "condition"));
    Duration forDuration = duration(yaml.requiredNode(node, m, "for"), "for");
    List<String> by = DEFAULT_BY;
    if (m.containsKey("by")) {
      by = stringList(m.get("by").getValueNode());
    }
    Duration window =
        m.containsKey("window") ? duration(YamlNodes.value(m, "window"), "window") : null;
    String aggregate =
        m.containsKey("aggregate") ? yaml.oneOf(YamlNodes.value(m, "aggregate"), AGGREGATES) : null;
    if (m.containsKey("window") != m.containsKey("aggregate")) {
      yaml.error(node, "window and aggregate must be given together");
    }
    Rule.Alert alert = m.containsKey("alert") ? alert(YamlNodes.value(m, "alert")) : null;
    Rule.Health health = m.containsKey("health") ? health(YamlNodes.value(m, "health")) : null;
    if (!m.containsKey("alert") && !m.containsKey("health")) {
      yaml.error(node, "a rule needs an alert, a health decision, or both");
    }
    Double fraction = null;
    if (m.containsKey("fleet")) {
      Map<String, NodeTuple> f = yaml.mapping(YamlNodes.value(m, "fleet"), "fleet", FLEET_KEYS);
      if (f != null) {
        Node fn = yaml.requiredNode(YamlNodes.value(m, "fleet"), f, "fraction");
        if (fn != null) {
          fraction = number(fn);
          if (fraction != null && (fraction < 0 || fraction >= 1)) {
            yaml.error(fn, "fleet fraction must be at least 0 and below 1");
          }
        }
      }
      if (m.containsKey("window")) {
        yaml.error(YamlNodes.value(m, "window"), "fleet rules do not take a window");
      }
    }
    if (errors.size() != before) {
      return null;
    }
    return new Rule(
        name,
        file,
        match,
        by,
        condition,
        forDuration,
        window,
        aggregate,
        alert,
        health,
        fraction,
        node.getStartMark().getLine() + 1,
        node.getStartMark().getColumn() + 1);
  }

  private Rule.Alert alert(Node node) {
    Map<String, NodeTuple> m = yaml.mapping(node, "alert", ALERT_KEYS);
    if (m == null) {
      return null;
    }
    Node sev = yaml.requiredNode(node, m, "severity");
    String severity = sev == null ? null : yaml.oneOf(sev, SEVERITIES);
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.containsKey("labels")) {
      Node ln = YamlNodes.value(m, "labels");
      if (ln instanceof MappingNode lm) {
        for (NodeTuple t : lm.getValue()) {
          String k = yaml.scalar(t.getKeyNode());
          String v = yaml.scalar(t.getValueNode());
          if (k != null && v != null) {
            labels.put(k, v);
          }
        }
      } else {
        yaml.error(ln, "labels must be a map of strings");
      }
    }
    String summary = requiredString(node, m, "summary");
    String description =
        m.containsKey("description") ? yaml.scalar(YamlNodes.value(m, "description")) : "";
    return new Rule.Alert(severity, Map.copyOf(labels), summary, description);
  }

  private Rule.Health health(Node node) {
    Map<String, NodeTuple> m = yaml.mapping(node, "health", HEALTH_KEYS);
    if (m == null) {
      return null;
    }
    Node an = yaml.requiredNode(node, m, "action");
    String action = an == null ? null : yaml.oneOf(an, ACTIONS);
    String reason = requiredString(node, m, "reason");
    return new Rule.Health(action, reason);
  }

  // ---- helpers ----

  private String requiredString(Node parent, Map<String, NodeTuple> m, String key) {
    Node n = yaml.requiredNode(parent, m, key);
    return n == null ? null : yaml.scalar(n);
  }

  private Double number(Node node) {
    String s = yaml.scalar(node);
    if (s == null) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      yaml.error(node, "'" + s + "' is not a number");
      return null;
    }
  }

  private List<String> stringList(Node node) {
    if (!(node instanceof SequenceNode seq)) {
      yaml.error(node, "by must be a list of field names");
      return DEFAULT_BY;
    }
    List<String> out = new ArrayList<>();
    for (Node n : seq.getValue()) {
      String s = yaml.scalar(n);
      if (s != null) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  private Duration duration(Node node, String what) {
    if (node == null) {
      return null;
    }
    String s = yaml.scalar(node);
    if (s == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(s, what);
      if (d.isNegative()) {
        yaml.error(node, what + " must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      yaml.error(node, e.getMessage());
      return null;
    }
  }

  private Query query(Node node) {
    if (node == null) {
      return null;
    }
    String s = yaml.scalar(node);
    if (s == null) {
      return null;
    }
    try {
      return Query.parse(s);
    } catch (QueryParseException e) {
      // Map the offset inside the query to the file column (quotes shift a single-line scalar).
      int shift = quoted(node) ? 1 : 0;
      Mark mark = node.getStartMark();
      String reason = e.getMessage().lines().findFirst().orElse("bad query");
      errors.add(
          new RuleError(
              file,
              mark.getLine() + 1,
              mark.getColumn() + 1 + shift + e.position(),
              "bad query: " + reason));
      return null;
    }
  }

  private static boolean quoted(Node node) {
    return node instanceof ScalarNode s
        && (s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED
            || s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED);
  }
}
