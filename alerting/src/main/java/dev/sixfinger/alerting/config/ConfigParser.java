package dev.sixfinger.alerting.config;

import dev.sixfinger.alerting.alert.FlapPolicy;
import dev.sixfinger.alerting.inhibit.InhibitRule;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.routing.Route;
import dev.sixfinger.core.time.Durations;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
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
 * Parses {@code alerting.yml} (format in the module README and the shipped {@code
 * config/alerting.yml}). Every problem is reported with file, line and column, all of them at once.
 * {@code ${NAME}} in a string is replaced by the environment variable NAME (an unset variable is an
 * error), so that routing keys need not be written into the file.
 */
public final class ConfigParser {
  private static final Set<String> TOP =
      Set.of("external_url", "receivers", "route", "inhibit_rules", "flapping");
  private static final Set<String> RECEIVER = Set.of("name", "pagerduty", "webhook", "email");
  private static final Set<String> PAGERDUTY = Set.of("routing_key", "url");
  private static final Set<String> WEBHOOK = Set.of("url", "max_alerts");
  private static final Set<String> EMAIL =
      Set.of("to", "from", "smarthost", "auth_username", "auth_password", "require_tls");
  private static final Set<String> ROUTE =
      Set.of(
          "receiver",
          "matchers",
          "continue",
          "group_by",
          "group_wait",
          "group_interval",
          "repeat_interval",
          "routes");
  private static final Set<String> INHIBIT = Set.of("source_matchers", "target_matchers", "equal");
  private static final Set<String> FLAPPING =
      Set.of("enabled", "max_changes", "window", "stable_for");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final int ROUTING_KEY_LENGTH = 32;

  private final String file;
  private final Function<String, String> env;
  private final List<ConfigError> errors = new ArrayList<>();

  private ConfigParser(String file, Function<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Reads and parses a file, with the process environment for {@code ${NAME}}. */
  public static AlertingConfig parse(Path path) throws ConfigException, IOException {
    return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), System::getenv);
  }

  /**
   * Parses configuration text.
   *
   * @param file the name errors carry
   * @param env looks up {@code ${NAME}} references; returns null for an unset variable
   * @throws ConfigException with every error found
   */
  public static AlertingConfig parse(String file, String text, Function<String, String> env)
      throws ConfigException {
    ConfigParser p = new ConfigParser(file, env);
    AlertingConfig config = p.parse(text);
    if (!p.errors.isEmpty() || config == null) {
      if (p.errors.isEmpty()) {
        p.errors.add(new ConfigError(file, 1, 1, "empty configuration"));
      }
      throw new ConfigException(p.errors);
    }
    return config;
  }

  private AlertingConfig parse(String text) {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      errors.add(
          new ConfigError(
              file,
              m == null ? 1 : m.getLine() + 1,
              m == null ? 1 : m.getColumn() + 1,
              "invalid YAML: " + problem));
      return null;
    } catch (RuntimeException e) {
      errors.add(new ConfigError(file, 1, 1, "invalid YAML: " + e.getMessage()));
      return null;
    }
    if (root == null) {
      return null;
    }
    Map<String, NodeTuple> top = mapping(root, "the configuration", TOP);
    if (top == null) {
      return null;
    }
    URI externalUrl = AlertingConfig.DEFAULT_EXTERNAL_URL;
    if (top.containsKey("external_url")) {
      URI u = url(value(top, "external_url"), "external_url");
      if (u != null) {
        externalUrl = u;
      }
    }
    Map<String, Receiver> receivers = new LinkedHashMap<>();
    Set<String> declared = new LinkedHashSet<>();
    Node rs = required(root, top, "receivers");
    if (rs != null) {
      for (Node n : list(rs, "receivers")) {
        declared.add(declaredName(n));
        Receiver r = receiver(n);
        if (r == null) {
          continue;
        }
        if (receivers.containsKey(r.name())) {
          error(n, "duplicate receiver name '" + r.name() + "'");
        } else {
          receivers.put(r.name(), r);
        }
      }
    }
    Route route = null;
    Node routeNode = required(root, top, "route");
    if (routeNode != null) {
      // Receivers with errors of their own are declared: no second error for the routes using them.
      route = route(routeNode, null, "{}", declared);
    }
    List<InhibitRule> inhibit = new ArrayList<>();
    if (top.containsKey("inhibit_rules")) {
      for (Node n : list(value(top, "inhibit_rules"), "inhibit_rules")) {
        InhibitRule r = inhibitRule(n);
        if (r != null) {
          inhibit.add(r);
        }
      }
    }
    FlapPolicy flapping = FlapPolicy.DEFAULT;
    if (top.containsKey("flapping")) {
      flapping = flapping(value(top, "flapping"));
    }
    if (!errors.isEmpty() || route == null || flapping == null) {
      return null;
    }
    return new AlertingConfig(externalUrl, receivers, route, inhibit, flapping);
  }

  private static String declaredName(Node node) {
    if (node instanceof MappingNode mn) {
      for (NodeTuple t : mn.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k
            && k.getValue().equals("name")
            && t.getValueNode() instanceof ScalarNode v) {
          return v.getValue();
        }
      }
    }
    return "";
  }

  private Receiver receiver(Node node) {
    Map<String, NodeTuple> m = mapping(node, "a receiver", RECEIVER);
    if (m == null) {
      return null;
    }
    Node nameNode = required(node, m, "name");
    String name = nameNode == null ? null : scalar(nameNode);
    List<String> kinds = new ArrayList<>(m.keySet());
    kinds.remove("name");
    if (kinds.size() != 1) {
      error(
          node,
          "receiver '"
              + name
              + "' must have exactly one of pagerduty, webhook or email, found "
              + kinds);
      return null;
    }
    if (name == null) {
      return null;
    }
    Node body = value(m, kinds.get(0));
    String what = "receiver '" + name + "' " + kinds.get(0);
    return switch (kinds.get(0)) {
      case "pagerduty" -> pagerDuty(name, body, what);
      case "webhook" -> webhook(name, body, what);
      default -> email(name, body, what);
    };
  }

  private Receiver pagerDuty(String name, Node body, String what) {
    Map<String, NodeTuple> m = mapping(body, what, PAGERDUTY);
    if (m == null) {
      return null;
    }
    Node keyNode = required(body, m, "routing_key");
    String key = keyNode == null ? null : string(keyNode);
    if (key != null && key.length() != ROUTING_KEY_LENGTH) {
      error(
          keyNode,
          what
              + ": routing_key must be the "
              + ROUTING_KEY_LENGTH
              + "-character integration key, got "
              + key.length()
              + " characters");
      key = null;
    }
    URI url = Receiver.PagerDuty.DEFAULT_URL;
    if (m.containsKey("url")) {
      url = url(value(m, "url"), what + " url");
    }
    return key == null || url == null ? null : new Receiver.PagerDuty(name, key, url);
  }

  private Receiver webhook(String name, Node body, String what) {
    Map<String, NodeTuple> m = mapping(body, what, WEBHOOK);
    if (m == null) {
      return null;
    }
    Node urlNode = required(body, m, "url");
    URI url = urlNode == null ? null : url(urlNode, what + " url");
    int max = 0;
    if (m.containsKey("max_alerts")) {
      Integer v = integer(value(m, "max_alerts"), what + " max_alerts", 0);
      max = v == null ? 0 : v;
    }
    return url == null ? null : new Receiver.Webhook(name, url, max);
  }

  private Receiver email(String name, Node body, String what) {
    Map<String, NodeTuple> m = mapping(body, what, EMAIL);
    if (m == null) {
      return null;
    }
    Node toNode = required(body, m, "to");
    List<String> to = new ArrayList<>();
    if (toNode instanceof ScalarNode) {
      to.add(string(toNode));
    } else if (toNode != null) {
      for (Node n : list(toNode, what + " to")) {
        to.add(string(n));
      }
    }
    for (String t : to) {
      if (t != null && !t.contains("@")) {
        error(toNode, what + ": '" + t + "' is not an e-mail address");
      }
    }
    Node fromNode = required(body, m, "from");
    String from = fromNode == null ? null : string(fromNode);
    Node hostNode = required(body, m, "smarthost");
    String host = hostNode == null ? null : string(hostNode);
    if (host != null && !host.matches("[^:\\s]+:\\d{1,5}")) {
      error(hostNode, what + ": smarthost must be host:port, got '" + host + "'");
      host = null;
    }
    String user = m.containsKey("auth_username") ? string(value(m, "auth_username")) : null;
    String password = m.containsKey("auth_password") ? string(value(m, "auth_password")) : null;
    if ((user == null) != (password == null)) {
      error(body, what + ": auth_username and auth_password go together");
      return null;
    }
    boolean tls = true;
    if (m.containsKey("require_tls")) {
      tls = !Boolean.FALSE.equals(bool(value(m, "require_tls")));
    }
    if (from == null || host == null || to.isEmpty() || to.contains(null)) {
      return null;
    }
    return new Receiver.Email(name, to, from, host, user, password, tls);
  }

  private Route route(Node node, Route parent, String id, Set<String> receiverNames) {
    String what = parent == null ? "the root route" : "route " + id;
    Map<String, NodeTuple> m = mapping(node, what, ROUTE);
    if (m == null) {
      return null;
    }
    String receiver = parent == null ? null : parent.receiver();
    if (m.containsKey("receiver")) {
      Node r = value(m, "receiver");
      receiver = scalar(r);
      if (receiver != null && !receiverNames.contains(receiver)) {
        error(r, "route receiver '" + receiver + "' is not defined in receivers");
      }
    } else if (parent == null) {
      error(node, "the root route needs a receiver");
    }
    List<Matcher> matchers = List.of();
    if (m.containsKey("matchers")) {
      if (parent == null) {
        error(m.get("matchers").getKeyNode(), "the root route matches every alert: no matchers");
      } else {
        matchers = matchers(value(m, "matchers"), what + " matchers");
      }
    }
    boolean cont = false;
    if (m.containsKey("continue")) {
      Node c = value(m, "continue");
      Boolean b = bool(c);
      if (parent == null && Boolean.TRUE.equals(b)) {
        error(c, "the root route cannot have continue");
      }
      cont = Boolean.TRUE.equals(b);
    }
    Set<String> groupBy = parent == null ? Set.of() : parent.groupBy();
    boolean groupAll = parent != null && parent.groupByAll();
    if (m.containsKey("group_by")) {
      Node g = value(m, "group_by");
      Set<String> labels = new LinkedHashSet<>();
      groupAll = false;
      for (Node n : list(g, what + " group_by")) {
        String l = scalar(n);
        if (l == null) {
          continue;
        }
        if (l.equals("...")) {
          groupAll = true;
        } else if (!LABEL.matcher(l).matches()) {
          error(n, "group_by: '" + l + "' is not a label name");
        } else if (!labels.add(l)) {
          error(n, "group_by: duplicate label '" + l + "'");
        }
      }
      if (groupAll && !labels.isEmpty()) {
        error(g, "group_by: '...' (group by all labels) must be the only entry");
      }
      groupBy = labels;
    }
    Duration wait =
        duration(m, "group_wait", parent == null ? Route.DEFAULT_GROUP_WAIT : parent.groupWait());
    Duration interval =
        duration(
            m,
            "group_interval",
            parent == null ? Route.DEFAULT_GROUP_INTERVAL : parent.groupInterval());
    Duration repeat =
        duration(
            m,
            "repeat_interval",
            parent == null ? Route.DEFAULT_REPEAT_INTERVAL : parent.repeatInterval());
    if (interval != null && interval.isZero()) {
      error(value(m, "group_interval"), "group_interval must be more than 0");
      interval = null;
    }
    if (repeat != null && repeat.isZero()) {
      error(value(m, "repeat_interval"), "repeat_interval must be more than 0");
      repeat = null;
    }
    if (receiver == null || wait == null || interval == null || repeat == null) {
      // Still check the children, to report all errors at once.
      if (m.containsKey("routes")) {
        Route stand =
            new Route(
                id,
                receiver == null ? "?" : receiver,
                List.of(),
                false,
                groupBy,
                groupAll,
                wait == null ? Route.DEFAULT_GROUP_WAIT : wait,
                interval == null ? Route.DEFAULT_GROUP_INTERVAL : interval,
                repeat == null ? Route.DEFAULT_REPEAT_INTERVAL : repeat,
                List.of());
        children(value(m, "routes"), stand, id, receiverNames);
      }
      return null;
    }
    Route self =
        new Route(
            id, receiver, matchers, cont, groupBy, groupAll, wait, interval, repeat, List.of());
    if (!m.containsKey("routes")) {
      return self;
    }
    List<Route> children = children(value(m, "routes"), self, id, receiverNames);
    if (children == null) {
      return null;
    }
    return new Route(
        id, receiver, matchers, cont, groupBy, groupAll, wait, interval, repeat, children);
  }

  private List<Route> children(Node routes, Route self, String id, Set<String> receiverNames) {
    List<Route> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean ok = true;
    for (Node c : list(routes, "routes")) {
      String childMatchers = "{}";
      if (c instanceof MappingNode mn) {
        for (NodeTuple t : mn.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("matchers")) {
            List<String> parts = new ArrayList<>();
            if (t.getValueNode() instanceof SequenceNode seq) {
              for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                  try {
                    parts.add(Matcher.parse(s.getValue()).toString());
                  } catch (IllegalArgumentException e) {
                    parts.add(s.getValue()); // reported when the child is parsed
                  }
                }
              }
            }
            childMatchers = "{" + String.join(",", parts) + "}";
          }
        }
      }
      int n = seen.merge(childMatchers, 1, Integer::sum);
      String childId = id + "/" + childMatchers + (n > 1 ? "#" + n : "");
      Route r = route(c, self, childId, receiverNames);
      if (r == null) {
        ok = false;
      } else {
        out.add(r);
      }
    }
    return ok ? out : null;
  }

  private InhibitRule inhibitRule(Node node) {
    Map<String, NodeTuple> m = mapping(node, "an inhibit rule", INHIBIT);
    if (m == null) {
      return null;
    }
    Node s = required(node, m, "source_matchers");
    Node t = required(node, m, "target_matchers");
    List<Matcher> source = s == null ? null : matchers(s, "source_matchers");
    List<Matcher> target = t == null ? null : matchers(t, "target_matchers");
    if (source != null && source.isEmpty()) {
      error(s, "source_matchers must not be empty");
    }
    if (target != null && target.isEmpty()) {
      error(t, "target_matchers must not be empty");
    }
    List<String> equal = new ArrayList<>();
    if (m.containsKey("equal")) {
      for (Node n : list(value(m, "equal"), "equal")) {
        String l = scalar(n);
        if (l != null && !LABEL.matcher(l).matches()) {
          error(n, "equal: '" + l + "' is not a label name");
        } else if (l != null) {
          equal.add(l);
        }
      }
    }
    if (source == null || target == null) {
      return null;
    }
    return new InhibitRule(source, target, equal);
  }

  private FlapPolicy flapping(Node node) {
    Map<String, NodeTuple> m = mapping(node, "flapping", FLAPPING);
    if (m == null) {
      return null;
    }
    if (m.containsKey("enabled") && Boolean.FALSE.equals(bool(value(m, "enabled")))) {
      return FlapPolicy.OFF;
    }
    FlapPolicy d = FlapPolicy.DEFAULT;
    Integer max = d.maxChanges();
    if (m.containsKey("max_changes")) {
      max = integer(value(m, "max_changes"), "flapping max_changes", 1);
      if (max != null && max >= dev.sixfinger.alerting.alert.AlertStore.HISTORY_LIMIT) {
        error(
            value(m, "max_changes"),
            "flapping max_changes must be below "
                + dev.sixfinger.alerting.alert.AlertStore.HISTORY_LIMIT);
        max = null;
      }
    }
    Duration window = duration(m, "window", d.window());
    Duration stable = duration(m, "stable_for", d.stableFor());
    if (max == null || window == null || stable == null) {
      return null;
    }
    return new FlapPolicy(max, window, stable);
  }

  // --- helpers: every one reports at the node's line and column ---

  private List<Matcher> matchers(Node node, String what) {
    List<Matcher> out = new ArrayList<>();
    for (Node n : list(node, what)) {
      String s = scalar(n);
      if (s == null) {
        continue;
      }
      try {
        out.add(Matcher.parse(s));
      } catch (IllegalArgumentException e) {
        error(n, what + ": " + e.getMessage());
      }
    }
    return out;
  }

  private Duration duration(Map<String, NodeTuple> m, String key, Duration dflt) {
    if (!m.containsKey(key)) {
      return dflt;
    }
    Node n = value(m, key);
    String s = scalar(n);
    if (s == null) {
      return null;
    }
    try {
      return Durations.parse(s, key);
    } catch (IllegalArgumentException e) {
      error(n, e.getMessage());
      return null;
    }
  }

  private Integer integer(Node n, String what, int min) {
    String s = scalar(n);
    if (s == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(s.trim());
      if (v < min) {
        error(n, what + " must be at least " + min + ", got " + v);
        return null;
      }
      return v;
    } catch (NumberFormatException e) {
      error(n, what + " must be a whole number, got '" + s + "'");
      return null;
    }
  }

  private Boolean bool(Node n) {
    String s = scalar(n);
    if (s == null) {
      return null;
    }
    if (s.equals("true") || s.equals("false")) {
      return Boolean.valueOf(s);
    }
    error(n, "expected true or false, got '" + s + "'");
    return null;
  }

  private URI url(Node n, String what) {
    String s = string(n);
    if (s == null) {
      return null;
    }
    try {
      URI u = new URI(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        error(n, what + " must be an http or https URL, got '" + s + "'");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      error(n, what + " is not a URL: " + e.getMessage());
      return null;
    }
  }

  /** A scalar with {@code ${NAME}} references replaced. */
  private String string(Node n) {
    String s = scalar(n);
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = ENV.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        error(n, "environment variable " + m.group(1) + " is not set");
        return null;
      }
      m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }

  private List<Node> list(Node node, String what) {
    if (node instanceof SequenceNode seq) {
      return seq.getValue();
    }
    error(node, what + " must be a list");
    return List.of();
  }

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
        error(
            t.getKeyNode(),
            "unknown key '" + key + "' in " + what + " (allowed: " + sorted(allowed) + ")");
      } else if (out.containsKey(key)) {
        error(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
      } else {
        out.put(key, t);
      }
    }
    return out;
  }

  private static String sorted(Set<String> s) {
    return String.join(", ", new java.util.TreeSet<>(s));
  }

  private static Node value(Map<String, NodeTuple> m, String key) {
    return m.get(key).getValueNode();
  }

  private Node required(Node parent, Map<String, NodeTuple> m, String key) {
    if (!m.containsKey(key)) {
      error(parent, "missing required key '" + key + "'");
      return null;
    }
    return value(m, key);
  }

  private String scalar(Node node) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    error(node, "expected a single value");
    return null;
  }

  private void error(Node node, String message) {
    Mark m = node == null ? null : node.getStartMark();
    errors.add(
        new ConfigError(
            file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, message));
  }
}
