package dev.sixfinger.rules.config;

import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.query.QueryParseException;
import dev.sixfinger.core.time.Durations;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
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

  private RuleParser(String file, List<RuleError> errors) {
    this.file = file;
    this.errors = errors;
  }

  /**
   * Parses {@code text}; the rules that parsed cleanly are returned, errors go to {@code errors}.
   */
  public static List<Rule> parse(String file, String text, List<RuleError> errors) {
    return new RuleParser(file, errors).parseFile(text);
  }

  private List<Rule> parseFile(String text) {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      errors.add(
          new RuleError(
              file,
              m == null ? 1 : m.getLine() + 1,
              m == null ? 1 : m.getColumn() + 1,
              "invalid YAML: " + problem));
      return List.of();
    } catch (RuntimeException e) {
      errors.add(new RuleError(file, 1, 1, "invalid YAML: " + e.getMessage()));
      return List.of();
    }
    List<Rule> rules = new ArrayList<>();
    if (root == null) {
      return rules;
    }
    if (!(root instanceof SequenceNode seq)) {
      error(root, "a rule file must be a list of rules");
      return rules;
    }
    for (Node item : seq.getValue()) {
      Rule rule = parseRule(item);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private Rule parseRule(Node node) {
    Map<String, NodeTuple> m = mapping(node, "a rule", RULE_KEYS);
    if (m == null) {
      return null;
    }
    int before = errors.size();
    String name = requiredString(node, m, "name");
    Query match = query(requiredNode(node, m, "match"));
    Query condition = query(requiredNode(node, m, "condition"));
    Duration forDuration = duration(requiredNode(node, m, "for"), "for");
    List<String> by = DEFAULT_BY;
    if (m.containsKey("by")) {
      by = stringList(m.get("by").getValueNode());
    }
    Duration window = m.containsKey("window") ? duration(value(m, "window"), "window") : null;
    String aggregate = m.containsKey("aggregate") ? oneOf(value(m, "aggregate"), AGGREGATES) : null;
    if (m.containsKey("window") != m.containsKey("aggregate")) {
      error(node, "window and aggregate must be given together");
    }
    Rule.Alert alert = m.containsKey("alert") ? alert(value(m, "alert")) : null;
    Rule.Health health = m.containsKey("health") ? health(value(m, "health")) : null;
    if (!m.containsKey("alert") && !m.containsKey("health")) {
      error(node, "a rule needs an alert, a health decision, or both");
    }
    Double fraction = null;
    if (m.containsKey("fleet")) {
      Map<String, NodeTuple> f = mapping(value(m, "fleet"), "fleet", FLEET_KEYS);
      if (f != null) {
        Node fn = requiredNode(value(m, "fleet"), f, "fraction");
        if (fn != null) {
          fraction = number(fn);
          if (fraction != null && (fraction < 0 || fraction >= 1)) {
            error(fn, "fleet fraction must be at least 0 and below 1");
          }
        }
      }
      if (m.containsKey("window")) {
        error(value(m, "window"), "fleet rules do not take a window");
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
    Map<String, NodeTuple> m = mapping(node, "alert", ALERT_KEYS);
    if (m == null) {
      return null;
    }
    Node sev = requiredNode(node, m, "severity");
    String severity = sev == null ? null : oneOf(sev, SEVERITIES);
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.containsKey("labels")) {
      Node ln = value(m, "labels");
      if (ln instanceof MappingNode lm) {
        for (NodeTuple t : lm.getValue()) {
          String k = scalar(t.getKeyNode());
          String v = scalar(t.getValueNode());
          if (k != null && v != null) {
            labels.put(k, v);
          }
        }
      } else {
        error(ln, "labels must be a map of strings");
      }
    }
    String summary = requiredString(node, m, "summary");
    String description = m.containsKey("description") ? scalar(value(m, "description")) : "";
    return new Rule.Alert(severity, Map.copyOf(labels), summary, description);
  }

  private Rule.Health health(Node node) {
    Map<String, NodeTuple> m = mapping(node, "health", HEALTH_KEYS);
    if (m == null) {
      return null;
    }
    Node an = requiredNode(node, m, "action");
    String action = an == null ? null : oneOf(an, ACTIONS);
    String reason = requiredString(node, m, "reason");
    return new Rule.Health(action, reason);
  }

  // ---- helpers ----

  private Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed) {
    if (!(node instanceof MappingNode mn)) {
      error(node, what + " must be a map");
      return null;
    }
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : mn.getValue()) {
      String key = scalar(t.getKeyNode());
      if (key == null) {
        continue;
      }
      if (!allowed.contains(key)) {
        error(t.getKeyNode(), "unknown key '" + key + "' in " + what);
      } else if (out.containsKey(key)) {
        error(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
      } else {
        out.put(key, t);
      }
    }
    return out;
  }

  private static Node value(Map<String, NodeTuple> m, String key) {
    return m.get(key).getValueNode();
  }

  private Node requiredNode(Node parent, Map<String, NodeTuple> m, String key) {
    if (!m.containsKey(key)) {
      error(parent, "missing required key '" + key + "'");
      return null;
    }
    return value(m, key);
  }

  private String requiredString(Node parent, Map<String, NodeTuple> m, String key) {
    Node n = requiredNode(parent, m, key);
    return n == null ? null : scalar(n);
  }

  private String scalar(Node node) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    error(node, "expected a single value");
    return null;
  }

  private String oneOf(Node node, Set<String> allowed) {
    String s = scalar(node);
    if (s != null && !allowed.contains(s)) {
      error(node, "'" + s + "' is not one of " + new java.util.TreeSet<>(allowed));
      return null;
    }
    return s;
  }

  private Double number(Node node) {
    String s = scalar(node);
    if (s == null) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      error(node, "'" + s + "' is not a number");
      return null;
    }
  }

  private List<String> stringList(Node node) {
    if (!(node instanceof SequenceNode seq)) {
      error(node, "by must be a list of field names");
      return DEFAULT_BY;
    }
    List<String> out = new ArrayList<>();
    for (Node n : seq.getValue()) {
      String s = scalar(n);
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
    String s = scalar(node);
    if (s == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(s, what);
      if (d.isNegative()) {
        error(node, what + " must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      error(node, e.getMessage());
      return null;
    }
  }

  private Query query(Node node) {
    if (node == null) {
      return null;
    }
    String s = scalar(node);
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

  private void error(Node node, String message) {
    Mark m = node == null ? null : node.getStartMark();
    errors.add(
        new RuleError(
            file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, message));
  }
}
