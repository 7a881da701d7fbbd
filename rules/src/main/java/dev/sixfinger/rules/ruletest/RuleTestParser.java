package dev.sixfinger.rules.ruletest;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.time.Durations;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.config.YamlNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses one test file (a YAML list of test cases), collecting every error with its line and
 * column, as {@link dev.sixfinger.rules.config.RuleParser} does for rules. A case with any error is
 * left out. See RULES.md for the format.
 */
public final class RuleTestParser {
  /** Where a test starts unless it says otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /** The live runner's idle tick: expiries and timers are seen at this resolution. */
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

  /** Bounds what {@code every} can expand to, so that a typo cannot exhaust memory. */
  static final int MAX_EVENTS = 1_000_000;

  private static final String TERM_FORM = "\\d+(?:\\.\\d+)?(?:ms|s|m|h|d)";
  private static final Pattern TERM = Pattern.compile(TERM_FORM);
  private static final Pattern COMPOUND = Pattern.compile("(?:" + TERM_FORM + ")+");

  static final Set<String> TEST_KEYS =
      Set.of("name", "rules", "start", "tick", "events", "advance", "expect", "expect_exactly");
  static final Set<String> EVENT_KEYS =
      Set.of(
          "at",
          "every",
          "until",
          "host",
          "service",
          "state",
          "description",
          "metric",
          "tags",
          "attributes",
          "time",
          "ttl");
  static final Set<String> EXPECT_KEYS =
      Set.of("at", "alert", "status", "labels", "summary", "hosts", "health", "action");
  static final Set<String> STATUSES = Set.of("firing", "resolved");
  static final Set<String> ACTIONS = Set.of("cordon", "drain", "none");

  private final String file;
  private final Map<String, Rule> known;
  private final List<RuleError> errors;
  private final YamlNodes yaml;
  private List<String> testRules; // the rules of the case being parsed, or null for all

  private RuleTestParser(String file, RuleSet rules, List<RuleError> errors) {
    this.file = file;
    this.known = new LinkedHashMap<>();
    if (rules != null) {
      rules.rules().forEach(r -> known.put(r.name(), r));
    }
    this.errors = errors;
    this.yaml = new YamlNodes(file, errors);
  }

  /**
   * Parses {@code text}; the cases that parsed cleanly are returned, errors go to {@code errors}.
   *
   * @param rules the rules the tests run against, to check the rule names they use; null not to
   */
  public static List<RuleTest> parse(
      String file, String text, RuleSet rules, List<RuleError> errors) {
    return new RuleTestParser(file, rules, errors).parseFile(text);
  }

  private List<RuleTest> parseFile(String text) {
    List<RuleTest> tests = new ArrayList<>();
    for (Node item :
        YamlNodes.items(file, text, "a test file must be a list of test cases", errors)) {
      RuleTest parsed = parseTest(item);
      if (parsed != null) {
        tests.add(parsed);
      }
    }
    return tests;
  }

  private RuleTest parseTest(Node node) {
    Map<String, NodeTuple> m = yaml.mapping(node, "a test case", TEST_KEYS);
    if (m == null) {
      return null;
    }
    int before = errors.size();
    Node nameNode = yaml.requiredNode(node, m, "name");
    String name = nameNode == null ? null : yaml.scalar(nameNode);
    List<String> rules = null;
    if (m.containsKey("rules")) {
      rules = stringOrList(YamlNodes.value(m, "rules"), "rules");
      for (String r : rules) {
        if (!known.isEmpty() && !known.containsKey(r)) {
          yaml.error(YamlNodes.value(m, "rules"), "no rule named '" + r + "'");
        }
      }
    }
    testRules = rules;
    long start = micros(DEFAULT_START);
    if (m.containsKey("start")) {
      start = instant(YamlNodes.value(m, "start"));
    }
    long tick = DEFAULT_TICK.toNanos() / 1000;
    if (m.containsKey("tick")) {
      tick = offset(YamlNodes.value(m, "tick"), "tick");
      if (tick <= 0) {
        yaml.error(YamlNodes.value(m, "tick"), "tick must be positive");
      }
    }
    List<RuleTest.TimedEvent> events = new ArrayList<>();
    Node eventsNode = yaml.requiredNode(node, m, "events");
    if (eventsNode != null) {
      for (Node e : list(eventsNode, "events")) {
        events(e, start, events);
      }
    }
    events.sort(Comparator.comparingLong(RuleTest.TimedEvent::atMicros)); // stable: as written
    List<RuleTest.Expectation> expect = new ArrayList<>();
    Node expectNode = yaml.requiredNode(node, m, "expect");
    if (expectNode != null) {
      for (Node x : list(expectNode, "expect")) {
        expectation(x, expect);
      }
    }
    boolean exact = true;
    if (m.containsKey("expect_exactly")) {
      exact = bool(YamlNodes.value(m, "expect_exactly"));
    }
    long lastEvent = events.isEmpty() ? 0 : events.get(events.size() - 1).atMicros();
    long end = lastEvent;
    if (m.containsKey("advance")) {
      Node adv = YamlNodes.value(m, "advance");
      end = offset(adv, "advance");
      if (end < lastEvent) {
        yaml.error(
            adv,
            "advance must not be before the last event (at " + Offsets.format(lastEvent) + ")");
      }
    } else {
      for (RuleTest.Expectation x : expect) {
        end = Math.max(end, x.atMicros());
      }
    }
    if (errors.size() != before) {
      return null;
    }
    return new RuleTest(
        name,
        file,
        node.getStartMark().getLine() + 1,
        rules,
        start,
        tick,
        events,
        end,
        expect,
        exact);
  }

  /** Expands one entry of {@code events} (several hosts, {@code every}) into {@code out}. */
  private void events(Node node, long start, List<RuleTest.TimedEvent> out) {
    Map<String, NodeTuple> m = yaml.mapping(node, "an event", EVENT_KEYS);
    if (m == null) {
      return;
    }
    int before = errors.size();
    Node atNode = yaml.requiredNode(node, m, "at");
    long at = atNode == null ? 0 : offset(atNode, "at");
    long every = 0;
    long until = at;
    if (m.containsKey("every") != m.containsKey("until")) {
      yaml.error(node, "every and until must be given together");
    } else if (m.containsKey("every")) {
      every = offset(YamlNodes.value(m, "every"), "every");
      until = offset(YamlNodes.value(m, "until"), "until");
      if (every <= 0) {
        yaml.error(YamlNodes.value(m, "every"), "every must be positive");
      } else if (until <= at) {
        yaml.error(YamlNodes.value(m, "until"), "until must be after at");
      } else if ((until - at) / every > MAX_EVENTS) {
        yaml.error(
            YamlNodes.value(m, "every"), "every expands to more than " + MAX_EVENTS + " events");
      }
    }
    List<String> hosts = new ArrayList<>();
    if (m.containsKey("host")) {
      hosts.addAll(stringOrList(YamlNodes.value(m, "host"), "host"));
    } else {
      hosts.add(null);
    }
    Event.Builder b = Event.builder();
    if (m.containsKey("service")) {
      b.service(yaml.scalar(YamlNodes.value(m, "service")));
    }
    if (m.containsKey("state")) {
      b.state(yaml.scalar(YamlNodes.value(m, "state")));
    }
    if (m.containsKey("description")) {
      b.description(yaml.scalar(YamlNodes.value(m, "description")));
    }
    if (m.containsKey("metric")) {
      b.metric(metric(YamlNodes.value(m, "metric")));
    }
    if (m.containsKey("tags")) {
      b.tags(stringOrList(YamlNodes.value(m, "tags"), "tags"));
    }
    if (m.containsKey("attributes")) {
      b.attributes(stringMap(YamlNodes.value(m, "attributes"), "attributes"));
    }
    if (m.containsKey("ttl")) {
      b.ttl(ttl(YamlNodes.value(m, "ttl")));
    }
    // An explicit time is an offset too, and stays put when the event repeats.
    Long time = m.containsKey("time") ? offset(YamlNodes.value(m, "time"), "time") : null;
    if (errors.size() != before) {
      return;
    }
    if (out.size() + (every == 0 ? 1 : (until - at) / every + 1) * hosts.size() > MAX_EVENTS) {
      yaml.error(node, "a test may hold at most " + MAX_EVENTS + " events");
      return;
    }
    // until is exclusive: "every 10s until 6m" leaves 6m free for the next entry.
    long t = at;
    do {
      for (String host : hosts) {
        b.host(host).timeMicros(start + (time != null ? time : t));
        out.add(new RuleTest.TimedEvent(t, b.build()));
      }
      t += every;
    } while (every > 0 && t < until);
  }

  private void expectation(Node node, List<RuleTest.Expectation> out) {
    Map<String, NodeTuple> m = yaml.mapping(node, "an expectation", EXPECT_KEYS);
    if (m == null) {
      return;
    }
    int before = errors.size();
    Node atNode = yaml.requiredNode(node, m, "at");
    long at = atNode == null ? 0 : offset(atNode, "at");
    int line = node.getStartMark().getLine() + 1;
    int column = node.getStartMark().getColumn() + 1;
    if (m.containsKey("alert") == m.containsKey("health")) {
      yaml.error(node, "an expectation needs either alert or health");
      return;
    }
    if (m.containsKey("alert")) {
      for (String key : List.of("action")) {
        if (m.containsKey(key)) {
          yaml.error(m.get(key).getKeyNode(), "'" + key + "' belongs to a health expectation");
        }
      }
      String rule = yaml.scalar(YamlNodes.value(m, "alert"));
      if (rule != null && !known.isEmpty()) {
        if (!known.containsKey(rule)) {
          yaml.error(YamlNodes.value(m, "alert"), "no rule named '" + rule + "'");
        } else if (known.get(rule).alert() == null) {
          yaml.error(YamlNodes.value(m, "alert"), "rule '" + rule + "' has no alert");
        } else if (testRules != null && !testRules.contains(rule)) {
          yaml.error(
              YamlNodes.value(m, "alert"),
              "rule '" + rule + "' is not among the rules of this test");
        }
      }
      Node st = yaml.requiredNode(node, m, "status");
      String status = st == null ? null : yaml.oneOf(st, STATUSES);
      Map<String, String> labels =
          m.containsKey("labels") ? stringMap(YamlNodes.value(m, "labels"), "labels") : Map.of();
      String summary = m.containsKey("summary") ? yaml.scalar(YamlNodes.value(m, "summary")) : null;
      List<String> hosts =
          m.containsKey("hosts") ? stringOrList(YamlNodes.value(m, "hosts"), "hosts") : null;
      if (errors.size() == before) {
        out.add(
            new RuleTest.AlertExpectation(
                at,
                rule,
                AlertRecord.Status.valueOf(status.toUpperCase(Locale.ROOT)),
                labels,
                summary,
                hosts,
                line,
                column));
      }
      return;
    }
    for (String key : List.of("status", "labels", "summary", "hosts")) {
      if (m.containsKey(key)) {
        yaml.error(m.get(key).getKeyNode(), "'" + key + "' belongs to an alert expectation");
      }
    }
    List<String> hosts = stringOrList(YamlNodes.value(m, "health"), "health");
    Node an = yaml.requiredNode(node, m, "action");
    String action = an == null ? null : yaml.oneOf(an, ACTIONS);
    if (errors.size() == before) {
      for (String host : hosts) {
        out.add(new RuleTest.HealthExpectation(at, host, action, line, column));
      }
    }
  }

  // ---- helpers ----

  private List<Node> list(Node node, String what) {
    if (node instanceof SequenceNode seq) {
      return seq.getValue();
    }
    yaml.error(node, what + " must be a list");
    return List.of();
  }

  /** A single value or a list of them. */
  private List<String> stringOrList(Node node, String what) {
    if (node instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    List<String> out = new ArrayList<>();
    for (Node n : list(node, what)) {
      String s = yaml.scalar(n);
      if (s != null) {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      yaml.error(node, what + " must not be empty");
    }
    return out;
  }

  private Map<String, String> stringMap(Node node, String what) {
    if (!(node instanceof MappingNode mn)) {
      yaml.error(node, what + " must be a map of strings");
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : mn.getValue()) {
      String k = yaml.scalar(t.getKeyNode());
      String v = yaml.scalar(t.getValueNode());
      if (k != null && v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  private boolean bool(Node node) {
    String s = yaml.scalar(node);
    if ("true".equals(s) || "false".equals(s)) {
      return Boolean.parseBoolean(s);
    }
    if (s != null) {
      yaml.error(node, "'" + s + "' is not true or false");
    }
    return true;
  }

  /** An integer metric stays an integer (Riemann's metric_sint64), anything else is a double. */
  private Number metric(Node node) {
    String s = yaml.scalar(node);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException notLong) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        yaml.error(node, "metric '" + s + "' is not a number");
        return null;
      }
    }
  }

  /** Seconds, as on the wire, or a duration such as 90s. */
  private Float ttl(Node node) {
    String s = yaml.scalar(node);
    if (s == null) {
      return null;
    }
    try {
      return Float.parseFloat(s);
    } catch (NumberFormatException e) {
      long micros = offset(node, "ttl");
      return micros / 1e6f;
    }
  }

  /** A duration from the start of the test, in microseconds; {@code 0} needs no unit. */
  private long offset(Node node, String what) {
    String s = yaml.scalar(node);
    if (s == null) {
      return 0;
    }
    String text = s.trim();
    if (text.equals("0")) {
      return 0;
    }
    // Several terms add up (6m51s), as the report writes offsets.
    if (!COMPOUND.matcher(text).matches()) {
      yaml.error(node, what + " '" + s + "' is not a duration such as 30s, 5m, 6m51s, 1h or 500ms");
      return 0;
    }
    long micros = 0;
    Matcher term = TERM.matcher(text);
    while (term.find()) {
      micros += Durations.parse(term.group(), what).toNanos() / 1000;
    }
    return micros;
  }

  private long instant(Node node) {
    String s = yaml.scalar(node);
    if (s == null) {
      return 0;
    }
    try {
      return micros(Instant.parse(s.trim()));
    } catch (DateTimeParseException e) {
      yaml.error(node, "start '" + s + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
      return 0;
    }
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
