package dev.sixfinger.rules.config;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * Reads YAML files that must be a list (of rules, of test cases) as nodes, which keep their line
 * and column, and checks them so that every error can say where it is. Shared by the rule and the
 * rule-test parsers.
 */
public final class YamlNodes {
  private final String file;
  private final List<RuleError> errors;

  /** Reads nodes of {@code file}, adding every error to {@code errors} with its location. */
  public YamlNodes(String file, List<RuleError> errors) {
    this.file = file;
    this.errors = errors;
  }

  /**
   * The items of the file's top-level list; none for an empty file. Invalid YAML, or a file that is
   * not a list, adds a located error and gives none.
   *
   * @param notAList the error for a file that is not a list, e.g. "a rule file must be a list of
   *     rules"
   */
  public static List<Node> items(
      String file, String text, String notAList, List<RuleError> errors) {
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
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof SequenceNode seq)) {
      Mark m = root.getStartMark();
      errors.add(new RuleError(file, m.getLine() + 1, m.getColumn() + 1, notAList));
      return List.of();
    }
    return seq.getValue();
  }

  /** The keys of a map node, each checked against {@code allowed} and for duplicates. */
  public Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed) {
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

  public static Node value(Map<String, NodeTuple> m, String key) {
    return m.get(key).getValueNode();
  }

  public Node requiredNode(Node parent, Map<String, NodeTuple> m, String key) {
    if (!m.containsKey(key)) {
      error(parent, "missing required key '" + key + "'");
      return null;
    }
    return value(m, key);
  }

  public String scalar(Node node) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    error(node, "expected a single value");
    return null;
  }

  public String oneOf(Node node, Set<String> allowed) {
    String s = scalar(node);
    if (s != null && !allowed.contains(s)) {
      error(node, "'" + s + "' is not one of " + new TreeSet<>(allowed));
      return null;
    }
    return s;
  }

  public void error(Node node, String message) {
    Mark m = node == null ? null : node.getStartMark();
    errors.add(
        new RuleError(
            file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, message));
  }
}
