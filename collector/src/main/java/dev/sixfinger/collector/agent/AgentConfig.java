package dev.sixfinger.collector.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sixfinger.collector.agent.check.CheckDefinition;
import dev.sixfinger.core.time.Durations;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's settings, from {@code agent.yml}. Every key is optional; the defaults are those of
 * {@link #defaults()} and are listed in {@code config/agent.yml}. Unknown keys are an error, so a
 * typo does not silently fall back to a default.
 *
 * @param endpoints Riemann TCP endpoints, {@code host:port}, tried in order (default {@code
 *     localhost:5555})
 * @param interval how often the host is sampled (default 10 s)
 * @param host the host name on every event (default this machine's name)
 * @param tags added to every event
 * @param attributes added to every event
 * @param ttlIntervals events live this many intervals, so a silent host expires (default 3)
 * @param procRoot where {@code /proc} is (default {@code /proc}; tests point it at fixtures)
 * @param spoolDir the on-disk spool of events not yet acknowledged (default {@code
 *     data/agent-spool})
 * @param spoolMaxBytes spool bound; past it the oldest events are dropped (default 256 MiB)
 * @param batchSize events per Riemann message at most (default 500)
 * @param batchDelay longest wait to fill a batch (default 1 s)
 * @param checks script checks
 */
public record AgentConfig(
    List<String> endpoints,
    Duration interval,
    String host,
    List<String> tags,
    Map<String, String> attributes,
    int ttlIntervals,
    Path procRoot,
    Path spoolDir,
    long spoolMaxBytes,
    int batchSize,
    Duration batchDelay,
    List<CheckDefinition> checks) {

  private static final Set<String> KEYS =
      Set.of(
          "endpoints",
          "interval",
          "host",
          "tags",
          "attributes",
          "ttlIntervals",
          "procRoot",
          "spoolDir",
          "spoolMaxSize",
          "batchSize",
          "batchDelay",
          "checks");
  private static final Set<String> CHECK_KEYS =
      Set.of("name", "command", "shell", "period", "timeout", "workingDirectory", "environment");

  public AgentConfig {
    endpoints = List.copyOf(endpoints);
    tags = List.copyOf(tags);
    attributes = Map.copyOf(attributes);
    checks = List.copyOf(checks);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one host:port is needed");
    }
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("interval must be at least 100ms, was " + interval);
    }
    if (ttlIntervals < 1) {
      throw new IllegalArgumentException("ttlIntervals must be at least 1, was " + ttlIntervals);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
  }

  public static AgentConfig defaults() {
    return new AgentConfig(
        List.of("localhost:5555"),
        Duration.ofSeconds(10),
        localHostName(),
        List.of(),
        Map.of(),
        3,
        Path.of("/proc"),
        Path.of("data", "agent-spool"),
        256L << 20,
        500,
        Duration.ofSeconds(1),
        List.of());
  }

  /** The ttl given to every event: a few intervals, so one missed sample does not expire it. */
  public float ttlSeconds() {
    return ttlIntervals * interval.toMillis() / 1000f;
  }

  public AgentConfig withEndpoints(List<String> newEndpoints) {
    return new AgentConfig(
        newEndpoints,
        interval,
        host,
        tags,
        attributes,
        ttlIntervals,
        procRoot,
        spoolDir,
        spoolMaxBytes,
        batchSize,
        batchDelay,
        checks);
  }

  public AgentConfig withInterval(Duration newInterval) {
    return new AgentConfig(
        endpoints,
        newInterval,
        host,
        tags,
        attributes,
        ttlIntervals,
        procRoot,
        spoolDir,
        spoolMaxBytes,
        batchSize,
        batchDelay,
        checks);
  }

  public AgentConfig withSpoolDir(Path newSpoolDir) {
    return new AgentConfig(
        endpoints,
        interval,
        host,
        tags,
        attributes,
        ttlIntervals,
        procRoot,
        newSpoolDir,
        spoolMaxBytes,
        batchSize,
        batchDelay,
        checks);
  }

  /** Reads {@code agent.yml}; errors name the file and the key. */
  public static AgentConfig load(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** Parses YAML text; {@code source} names it in errors. */
  public static AgentConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    AgentConfig d = defaults();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return d;
    }
    try {
      if (!root.isObject()) {
        throw new IllegalArgumentException("the top level must be a mapping of settings");
      }
      checkKeys(root, KEYS, "");
      return new AgentConfig(
          root.has("endpoints") ? strings(root.get("endpoints"), "endpoints") : d.endpoints(),
          duration(root, "interval", d.interval()),
          root.has("host") ? text(root.get("host"), "host") : d.host(),
          root.has("tags") ? strings(root.get("tags"), "tags") : d.tags(),
          root.has("attributes") ? stringMap(root.get("attributes"), "attributes") : Map.of(),
          root.has("ttlIntervals") ? integer(root.get("ttlIntervals"), "ttlIntervals") : 3,
          root.has("procRoot") ? Path.of(text(root.get("procRoot"), "procRoot")) : d.procRoot(),
          root.has("spoolDir") ? Path.of(text(root.get("spoolDir"), "spoolDir")) : d.spoolDir(),
          root.has("spoolMaxSize")
              ? size(text(root.get("spoolMaxSize"), "spoolMaxSize"), "spoolMaxSize")
              : d.spoolMaxBytes(),
          root.has("batchSize") ? integer(root.get("batchSize"), "batchSize") : d.batchSize(),
          duration(root, "batchDelay", d.batchDelay()),
          root.has("checks") ? checks(root.get("checks")) : List.of());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static List<CheckDefinition> checks(JsonNode node) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("checks must be a list of checks");
    }
    List<CheckDefinition> checks = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode c = node.get(i);
      String where = "checks[" + i + "]";
      if (!c.isObject()) {
        throw new IllegalArgumentException(where + " must be a mapping with name and command");
      }
      checkKeys(c, CHECK_KEYS, where + ".");
      if (!c.has("name") || !c.has("command")) {
        throw new IllegalArgumentException(where + " needs both 'name' and 'command'");
      }
      String name = text(c.get("name"), where + ".name");
      boolean shell = c.has("shell") && c.get("shell").asBoolean();
      JsonNode command = c.get("command");
      List<String> argv =
          command.isTextual() && shell
              ? List.of(command.asText())
              : strings(command, where + ".command");
      Map<String, String> env =
          c.has("environment") ? stringMap(c.get("environment"), where + ".environment") : Map.of();
      checks.add(
          new CheckDefinition(
              name.startsWith("check/") ? name : "check/" + name,
              argv,
              shell,
              duration(c, "period", CheckDefinition.DEFAULT_PERIOD, where + "."),
              duration(c, "timeout", CheckDefinition.DEFAULT_TIMEOUT, where + "."),
              c.has("workingDirectory")
                  ? Path.of(text(c.get("workingDirectory"), where + ".workingDirectory"))
                  : null,
              env));
    }
    return checks;
  }

  private static void checkKeys(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '"
                + prefix
                + key
                + "'; known keys: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static Duration duration(JsonNode parent, String key, Duration fallback) {
    return duration(parent, key, fallback, "");
  }

  private static Duration duration(JsonNode parent, String key, Duration fallback, String prefix) {
    if (!parent.has(key)) {
      return fallback;
    }
    return Durations.parse(parent.get(key).asText(), prefix + key);
  }

  private static String text(JsonNode node, String key) {
    if (!node.isValueNode() || node.isNull()) {
      throw new IllegalArgumentException(key + " must be a single value");
    }
    return node.asText();
  }

  private static int integer(JsonNode node, String key) {
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException(key + " must be a whole number, was " + node);
    }
    return node.asInt();
  }

  private static List<String> strings(JsonNode node, String key) {
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(key + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      out.add(text(n, key + "[" + out.size() + "]"));
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node, String key) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(key + " must be a mapping of names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(f -> out.put(f.getKey(), text(f.getValue(), key + "." + f.getKey())));
    return out;
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|kb|mb|gb)?");

  /** {@code 256MiB}, {@code 1 GiB}, {@code 500kb}, or plain bytes. */
  static long size(String text, String key) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + " '" + text + "' is not a size such as 256MiB, 1GiB or 500000");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit) {
          case "kib" -> 1L << 10;
          case "mib" -> 1L << 20;
          case "gib" -> 1L << 30;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          default -> 1L;
        };
    return Math.multiplyExact(n, factor);
  }

  private static String localHostName() {
    String env = System.getenv("HOSTNAME");
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return env != null && !env.isBlank() ? env : "localhost";
    }
  }
}
