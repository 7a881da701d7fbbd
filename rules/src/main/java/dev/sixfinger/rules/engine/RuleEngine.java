package dev.sixfinger.rules.engine;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleCompiler;
import dev.sixfinger.rules.config.RuleOutput;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.index.Index;
import dev.sixfinger.rules.stream.EventFields;
import dev.sixfinger.rules.stream.Snapshots;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule set at work: an {@link Index} of the latest event per (host, service) whose expiries are
 * fed back as {@code expired} events, the compiled rules, the alerts that are firing and the health
 * decisions in force, all over one logical clock that only {@link #advanceTo} moves.
 *
 * <p>Given the same sequence of {@code advanceTo} and {@code accept} calls, an engine emits the
 * same records in the same order; a restored {@link #snapshot()} continues exactly where the
 * original was. The runners make time the Kafka record time, so a replay of the log reproduces a
 * live run.
 *
 * <p>Alerts are deduplicated by fingerprint: a rule that fires again for an alert already firing
 * emits nothing. A rule that is removed or changed by {@link #reload} resolves its firing alerts.
 *
 * <p>Not thread-safe: one thread drives an engine.
 */
public final class RuleEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
  private static final int SNAPSHOT_VERSION = 1;
  private static final Query EVERYTHING = Query.parse("true");

  private final EngineSettings settings;
  private final Consumer<EngineRecord> sink;
  private final StreamContext root;
  private final Index index;
  private final Map<String, LoadedRule> rules = new LinkedHashMap<>();
  private RuleDispatch dispatch = new RuleDispatch();
  private final Map<String, Firing> firing = new LinkedHashMap<>();
  private final Map<String, Map<String, HealthRecord.Decision>> health = new TreeMap<>();
  private final long renewMicros;
  private long nextRenewal;
  private long eventCount;

  /** A compiled rule in its own timer scope, so that removing it cancels its timers. */
  private static final class LoadedRule {
    final Rule rule;
    final String definition;
    final StreamContext scope;
    final Stream stream;
    long evaluations;

    LoadedRule(Rule rule, String definition, StreamContext scope, Stream stream) {
      this.rule = rule;
      this.definition = definition;
      this.scope = scope;
      this.stream = stream;
    }
  }

  /** An alert that is firing, with what its resolve needs. */
  private record Firing(
      String rule,
      String fingerprint,
      Map<String, String> labels,
      String severity,
      String summary,
      String description,
      long startsAt,
      List<String> hosts,
      List<Event> evidence,
      boolean alert) {}

  /**
   * @param set a valid rule set
   * @param startMicros the engine's time to start with
   * @param sink receives every record, on the thread that drives the engine
   */
  public RuleEngine(
      RuleSet set, long startMicros, EngineSettings settings, Consumer<EngineRecord> sink) {
    this(startMicros, settings, sink);
    requireValid(set);
    for (Rule rule : set.rules()) {
      load(rule);
    }
    rebuildDispatch();
  }

  private RuleEngine(long startMicros, EngineSettings settings, Consumer<EngineRecord> sink) {
    this.settings = settings;
    this.sink = sink;
    this.root = new StreamContext(startMicros);
    this.index = new Index(root::nowMicros, settings.defaultTtl(), 1, Runnable::run);
    this.renewMicros = settings.healthTtl().toNanos() / 1000 / 3;
    this.nextRenewal = nextMultiple(startMicros, renewMicros);
  }

  private static void requireValid(RuleSet set) {
    if (!set.ok()) {
      throw new IllegalArgumentException("the rule set has errors: " + set.errors());
    }
  }

  /** The first multiple of {@code step} after {@code micros}. */
  private static long nextMultiple(long micros, long step) {
    return Math.floorDiv(micros, step) * step + step;
  }

  /** The engine's time, in microseconds since the epoch. */
  public long nowMicros() {
    return root.nowMicros();
  }

  /**
   * Moves time forward (never back): runs the rules' timers, renews the health records in force
   * when their renewal is due, and feeds the index entries that expired into the rules.
   */
  public void advanceTo(long micros) {
    if (health.isEmpty() && nextRenewal <= micros) {
      nextRenewal = nextMultiple(micros, renewMicros); // nothing to renew: skip ahead at once
    }
    while (nextRenewal <= micros) {
      step(nextRenewal);
      renewHealth();
      nextRenewal += renewMicros;
    }
    step(micros);
  }

  private void step(long micros) {
    root.advanceTo(micros);
    for (Event expired : index.expire()) {
      dispatch.accept(expired);
    }
  }

  /** Indexes the event and runs it through the rules, at the engine's current time. */
  public void accept(Event event) {
    eventCount++;
    index.update(event);
    dispatch.accept(event);
  }

  /** {@link #advanceTo} the time, then {@link #accept} the event. */
  public void process(long timeMicros, Event event) {
    advanceTo(timeMicros);
    accept(event);
  }

  /**
   * Replaces the rule set. Rules whose definition did not change (only their file or position, if
   * anything) keep their state and timers; changed rules start afresh; removed and changed rules
   * resolve the alerts they had firing. A set with errors changes nothing.
   */
  public ReloadResult reload(RuleSet set) {
    if (!set.ok()) {
      return new ReloadResult(List.of(), List.of(), List.of(), List.of(), set.errors());
    }
    List<String> kept = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, LoadedRule> previous = new LinkedHashMap<>(rules);
    rules.clear();
    for (Rule rule : set.rules()) {
      LoadedRule old = previous.remove(rule.name());
      if (old != null && old.definition.equals(definition(rule))) {
        rules.put(rule.name(), old);
        kept.add(rule.name());
        continue;
      }
      if (old != null) {
        retire(old);
        changed.add(rule.name());
      } else {
        added.add(rule.name());
      }
      load(rule);
    }
    for (LoadedRule old : previous.values()) {
      retire(old);
      removed.add(old.rule.name());
    }
    rebuildDispatch();
    return new ReloadResult(kept, added, changed, removed, List.of());
  }

  private void load(Rule rule) {
    StreamContext scope = root.child();
    Stream stream = RuleCompiler.compile(rule, scope, out -> onOutput(rule, out));
    rules.put(rule.name(), new LoadedRule(rule, definition(rule), scope, stream));
  }

  private void retire(LoadedRule loaded) {
    loaded.scope.close();
    for (Firing f : new ArrayList<>(firing.values())) {
      if (f.rule().equals(loaded.rule.name())) {
        resolve(f, List.of());
      }
    }
  }

  private void rebuildDispatch() {
    RuleDispatch d = new RuleDispatch();
    for (LoadedRule loaded : rules.values()) {
      d.add(
          loaded.rule.match(),
          event -> {
            loaded.evaluations++;
            loaded.stream.accept(event);
          });
    }
    dispatch = d;
  }

  /** What makes two rules the same rule: everything but where it is written. */
  static String definition(Rule r) {
    Rule at =
        new Rule(
            r.name(),
            "",
            r.match(),
            r.by(),
            r.condition(),
            r.forDuration(),
            r.window(),
            r.aggregate(),
            r.alert(),
            r.health(),
            r.fleetFraction(),
            0,
            0);
    return Fingerprints.sha256(at.toString());
  }

  private void onOutput(Rule rule, RuleOutput out) {
    Map<String, String> labels = labels(rule, out);
    String fingerprint = Fingerprints.of(labels);
    if (out.kind() == RuleOutput.Kind.FIRING) {
      if (firing.containsKey(fingerprint)) {
        return;
      }
      Firing f =
          new Firing(
              rule.name(),
              fingerprint,
              labels,
              out.severity(),
              out.summary(),
              out.description(),
              out.timeMicros(),
              List.copyOf(out.hosts()),
              List.copyOf(out.evidence()),
              rule.alert() != null);
      firing.put(fingerprint, f);
      if (f.alert()) {
        sink.accept(alertRecord(f, AlertRecord.Status.FIRING, null, f.evidence()));
      }
      if (rule.health() != null) {
        for (String host : f.hosts()) {
          health
              .computeIfAbsent(host, h -> new LinkedHashMap<>())
              .put(
                  fingerprint,
                  new HealthRecord.Decision(
                      rule.name(),
                      out.healthAction(),
                      out.healthReason(),
                      fingerprint,
                      out.timeMicros(),
                      f.evidence()));
          emitHealth(host);
        }
      }
    } else {
      Firing f = firing.get(fingerprint);
      if (f != null) {
        resolve(f, out.evidence());
      }
    }
  }

  private void resolve(Firing f, List<Event> evidence) {
    firing.remove(f.fingerprint());
    if (f.alert()) {
      sink.accept(alertRecord(f, AlertRecord.Status.RESOLVED, nowMicros(), evidence));
    }
    for (String host : f.hosts()) {
      Map<String, HealthRecord.Decision> decisions = health.get(host);
      if (decisions != null && decisions.remove(f.fingerprint()) != null) {
        emitHealth(host);
      }
    }
  }

  private AlertRecord alertRecord(
      Firing f, AlertRecord.Status status, Long endsAt, List<Event> evidence) {
    return new AlertRecord(
        f.fingerprint(),
        f.rule(),
        status,
        f.severity(),
        f.labels(),
        f.summary(),
        f.description(),
        f.startsAt(),
        endsAt,
        nowMicros(),
        f.hosts(),
        evidence);
  }

  /** {@code alertname}, {@code severity}, the rule's labels, then its {@code by} fields' values. */
  private static Map<String, String> labels(Rule rule, RuleOutput out) {
    Map<String, String> labels = new TreeMap<>();
    if (rule.alert() != null) {
      labels.putAll(rule.alert().labels());
    }
    if (!rule.isFleet() && !out.evidence().isEmpty()) {
      Event e = out.evidence().get(0);
      for (String field : rule.by()) {
        String value = field(e, field);
        if (value != null) {
          labels.put(field, value);
        }
      }
    }
    labels.put("alertname", rule.name());
    if (out.severity() != null) {
      labels.put("severity", out.severity());
    }
    return labels;
  }

  private static String field(Event e, String name) {
    Object v = EventFields.getter(name).apply(e);
    return v == null ? null : v.toString();
  }

  private void emitHealth(String host) {
    Map<String, HealthRecord.Decision> decisions = health.get(host);
    List<HealthRecord.Decision> list =
        decisions == null ? List.of() : List.copyOf(decisions.values());
    if (list.isEmpty()) {
      health.remove(host);
    }
    long now = nowMicros();
    sink.accept(
        new HealthRecord(
            host,
            HealthRecord.strongest(list),
            now,
            now + settings.healthTtl().toNanos() / 1000,
            list));
  }

  private void renewHealth() {
    for (String host : new ArrayList<>(health.keySet())) {
      emitHealth(host);
    }
  }

  // ---- what is there, for the API and the console ----

  /** The index of the latest events; read it, do not write it. */
  public Index index() {
    return index;
  }

  public List<Rule> rules() {
    return rules.values().stream().map(l -> l.rule).toList();
  }

  /** The loaded rules by name, in set order: where each came from, for the API and the console. */
  public Map<String, Rule> rulesByName() {
    Map<String, Rule> byName = new LinkedHashMap<>();
    rules.forEach((name, l) -> byName.put(name, l.rule));
    return byName;
  }

  /** Events each rule has been handed since it was loaded (or kept), by rule name. */
  public Map<String, Long> evaluations() {
    Map<String, Long> counts = new LinkedHashMap<>();
    rules.forEach((name, l) -> counts.put(name, l.evaluations));
    return counts;
  }

  /** Events accepted since this engine was created or restored. */
  public long eventCount() {
    return eventCount;
  }

  /** The alerts firing now, as firing records, in the order they fired. */
  public List<AlertRecord> firingAlerts() {
    return firing.values().stream()
        .filter(Firing::alert)
        .map(f -> alertRecord(f, AlertRecord.Status.FIRING, null, f.evidence()))
        .toList();
  }

  // ---- snapshots ----

  /**
   * The whole state: time, index, each rule's stream state (with its definition, so that a changed
   * rule is not restored from an old state), firing alerts and health decisions. See {@link
   * SnapshotCodec} for the encoding.
   */
  public Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("v", (long) SNAPSHOT_VERSION);
    s.put("time", nowMicros());
    List<Object> ruleStates = new ArrayList<>();
    for (LoadedRule l : rules.values()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", l.rule.name());
      r.put("definition", l.definition);
      r.put("state", Snapshots.snapshot(l.stream));
      ruleStates.add(r);
    }
    s.put("rules", ruleStates);
    s.put("index", new ArrayList<Object>(index.query(EVERYTHING)));
    List<Object> alerts = new ArrayList<>();
    for (Firing f : firing.values()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("rule", f.rule());
      a.put("fingerprint", f.fingerprint());
      a.put("labels", new LinkedHashMap<String, Object>(f.labels()));
      a.put("severity", f.severity());
      a.put("summary", f.summary());
      a.put("description", f.description());
      a.put("startsAt", f.startsAt());
      a.put("hosts", new ArrayList<Object>(f.hosts()));
      a.put("evidence", new ArrayList<Object>(f.evidence()));
      a.put("alert", f.alert());
      alerts.add(a);
    }
    s.put("firing", alerts);
    List<Object> hosts = new ArrayList<>();
    health.forEach(
        (host, decisions) -> {
          for (HealthRecord.Decision d : decisions.values()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", host);
            h.put("rule", d.rule());
            h.put("action", d.action());
            h.put("reason", d.reason());
            h.put("fingerprint", d.fingerprint());
            h.put("since", d.sinceMicros());
            h.put("evidence", new ArrayList<Object>(d.evidence()));
            hosts.add(h);
          }
        });
    s.put("health", hosts);
    return s;
  }

  /**
   * An engine running {@code set} from a {@link #snapshot()}. Rules whose definition is unchanged
   * get their state back; new or changed rules start afresh, and alerts of rules that are gone or
   * changed are resolved (through {@code sink}) at once.
   *
   * @throws IllegalArgumentException if the snapshot is not one, or of another version
   */
  public static RuleEngine restore(
      RuleSet set, Object snapshot, EngineSettings settings, Consumer<EngineRecord> sink) {
    requireValid(set);
    Map<String, Object> s = map(snapshot, "snapshot");
    if (!(s.get("v") instanceof Number v) || v.intValue() != SNAPSHOT_VERSION) {
      throw new IllegalArgumentException("unsupported snapshot version " + s.get("v"));
    }
    RuleEngine engine = new RuleEngine(longValue(s, "time"), settings, sink);
    Map<String, Map<String, Object>> states = new LinkedHashMap<>();
    for (Object o : list(s.get("rules"), "rules")) {
      Map<String, Object> r = map(o, "rule state");
      states.put((String) r.get("name"), r);
    }
    for (Rule rule : set.rules()) {
      engine.load(rule);
      Map<String, Object> state = states.get(rule.name());
      LoadedRule loaded = engine.rules.get(rule.name());
      if (state != null && loaded.definition.equals(state.get("definition"))) {
        try {
          Snapshots.restore(loaded.stream, state.get("state"));
        } catch (IllegalArgumentException e) {
          LOG.warn(
              "Rule {} could not be restored and starts afresh: {}", rule.name(), e.getMessage());
          loaded.scope.close();
          engine.load(rule);
        }
      }
    }
    engine.rebuildDispatch();
    for (Object o : list(s.get("index"), "index")) {
      if (!(o instanceof Event e)) {
        throw new IllegalArgumentException("index entries must be events, got " + o);
      }
      engine.index.update(e);
    }
    for (Object o : list(s.get("firing"), "firing")) {
      Map<String, Object> a = map(o, "firing alert");
      Map<String, String> labels = new TreeMap<>();
      map(a.get("labels"), "labels").forEach((k, val) -> labels.put(k, String.valueOf(val)));
      Firing f =
          new Firing(
              (String) a.get("rule"),
              (String) a.get("fingerprint"),
              labels,
              (String) a.get("severity"),
              (String) a.get("summary"),
              (String) a.get("description"),
              longValue(a, "startsAt"),
              strings(a.get("hosts")),
              events(a.get("evidence")),
              Boolean.TRUE.equals(a.get("alert")));
      engine.firing.put(f.fingerprint(), f);
    }
    for (Object o : list(s.get("health"), "health")) {
      Map<String, Object> h = map(o, "health decision");
      engine
          .health
          .computeIfAbsent((String) h.get("host"), x -> new LinkedHashMap<>())
          .put(
              (String) h.get("fingerprint"),
              new HealthRecord.Decision(
                  (String) h.get("rule"),
                  (String) h.get("action"),
                  (String) h.get("reason"),
                  (String) h.get("fingerprint"),
                  longValue(h, "since"),
                  events(h.get("evidence"))));
    }
    // Alerts of rules that are gone or changed while the engine was down.
    Map<String, String> definitions = new LinkedHashMap<>();
    states.forEach((name, r) -> definitions.put(name, (String) r.get("definition")));
    for (Firing f : new ArrayList<>(engine.firing.values())) {
      LoadedRule loaded = engine.rules.get(f.rule());
      if (loaded == null || !loaded.definition.equals(definitions.get(f.rule()))) {
        engine.resolve(f, List.of());
      }
    }
    return engine;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(what + " must be a map, got " + o);
    }
    return (Map<String, Object>) o;
  }

  private static List<?> list(Object o, String what) {
    if (!(o instanceof List<?> l)) {
      throw new IllegalArgumentException(what + " must be a list, got " + o);
    }
    return l;
  }

  private static long longValue(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("'" + key + "' must be a number, got " + m.get(key));
    }
    return n.longValue();
  }

  private static List<String> strings(Object o) {
    return list(o, "hosts").stream().map(String::valueOf).toList();
  }

  private static List<Event> events(Object o) {
    List<Event> events = new ArrayList<>();
    for (Object e : list(o, "evidence")) {
      if (!(e instanceof Event event)) {
        throw new IllegalArgumentException("evidence must be events, got " + e);
      }
      events.add(event);
    }
    return events;
  }
}
