package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.Stateful;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Fleet state: the latest event per live host; a host counts once its condition has held for {@code
 * for}. Fires when more than {@code fraction} of the live hosts count, resolves when it drops back
 * to or below it. Evaluates on each event and when a host's {@code for} has passed.
 *
 * <p>Snapshot: {@code {"latest": {host: Event}, "holdingSince": {host: micros}, "firing": Boolean,
 * "firingHosts": [host], "evaluations": [timer, ...]}}, hosts sorted, the pending evaluation timers
 * as {@link StreamContext#timerState} in the order they were scheduled.
 */
final class Fleet implements Stream, Stateful {
  private final Rule rule;
  private final StreamContext ctx;
  private final Consumer<RuleOutput> out;
  private final Map<String, Event> latest = new HashMap<>();
  private final Map<String, Long> holdingSince = new HashMap<>();
  private boolean firing;
  private List<String> firingHosts = List.of();
  // Kept so that a restore re-arms exactly these: each can change the outcome (hosts expire).
  private final List<Timer> evaluations = new ArrayList<>();

  Fleet(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
    this.rule = rule;
    this.ctx = ctx;
    this.out = out;
  }

  @Override
  public void accept(Event event) {
    String host = event.host();
    if (host == null) {
      return;
    }
    long now = ctx.nowMicros();
    if (Expiry.hasExpiredState(event)) {
      latest.remove(host);
      holdingSince.remove(host);
    } else {
      latest.put(host, event);
      if (rule.condition().matches(event)) {
        if (!holdingSince.containsKey(host)) {
          holdingSince.put(host, now);
          evaluations.removeIf(t -> !t.isPending());
          evaluations.add(ctx.schedule(now + forMicros(), this::evaluate));
        }
      } else {
        holdingSince.remove(host);
      }
    }
    evaluate();
  }

  private long forMicros() {
    return rule.forDuration().toNanos() / 1000;
  }

  private void evaluate() {
    long now = ctx.nowMicros();
    latest.values().removeIf(e -> Expiry.isExpired(e, now));
    holdingSince.keySet().retainAll(latest.keySet());
    Map<String, Event> counted = new TreeMap<>();
    for (Map.Entry<String, Long> h : holdingSince.entrySet()) {
      if (now - h.getValue() >= forMicros()) {
        counted.put(h.getKey(), latest.get(h.getKey()));
      }
    }
    int live = latest.size();
    boolean above = live > 0 && counted.size() > rule.fleetFraction() * live;
    if (above && !firing) {
      firing = true;
      firingHosts = List.copyOf(counted.keySet());
      Event summary = summaryEvent(counted.size(), live);
      out.accept(
          RuleCompiler.output(
              rule,
              RuleOutput.Kind.FIRING,
              now,
              summary,
              List.copyOf(counted.values()),
              firingHosts));
    } else if (!above && firing) {
      firing = false;
      Event summary = summaryEvent(counted.size(), live);
      out.accept(
          RuleCompiler.output(
              rule, RuleOutput.Kind.RESOLVED, now, summary, List.of(), firingHosts));
    }
  }

  private Event summaryEvent(int count, int live) {
    return Event.builder()
        .host("fleet")
        .service(rule.name())
        .state(firing ? "critical" : "ok")
        .metric(live == 0 ? 0.0 : (double) count / live)
        .attribute("hosts", Integer.toString(count))
        .attribute("live", Integer.toString(live))
        .build();
  }

  @Override
  public Object snapshot() {
    List<Object> timers = new ArrayList<>();
    for (Timer t : evaluations) {
      Object s = StreamContext.timerState(t);
      if (s != null) {
        timers.add(s);
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("latest", new TreeMap<>(latest));
    s.put("holdingSince", new TreeMap<>(holdingSince));
    s.put("firing", firing);
    s.put("firingHosts", new ArrayList<>(firingHosts));
    s.put("evaluations", timers);
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = RuleState.map(state, "fleet state");
    evaluations.forEach(Timer::cancel);
    evaluations.clear();
    latest.clear();
    holdingSince.clear();
    RuleState.map(s.get("latest"), "fleet state 'latest'")
        .forEach(
            (host, e) -> {
              Event event = RuleState.eventOrNull(e, "fleet latest event of " + host);
              if (event == null) {
                throw new IllegalArgumentException("fleet latest event of " + host + " is null");
              }
              latest.put(host, event);
            });
    RuleState.map(s.get("holdingSince"), "fleet state 'holdingSince'")
        .forEach((host, t) -> holdingSince.put(host, RuleState.number(t, "holdingSince " + host)));
    firing = RuleState.bool(s, "firing", "fleet");
    List<String> hosts = new ArrayList<>();
    for (Object h : RuleState.list(s.get("firingHosts"), "fleet state 'firingHosts'")) {
      hosts.add(RuleState.string(h, "fleet firing host"));
    }
    firingHosts = List.copyOf(hosts);
    for (Object t : RuleState.list(s.get("evaluations"), "fleet state 'evaluations'")) {
      if (t == null) {
        throw new IllegalArgumentException("fleet state 'evaluations' holds a null timer");
      }
      evaluations.add(ctx.restoreTimer(t, this::evaluate));
    }
  }
}
