package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.Stateful;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
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
 *
 * <p>The counts are kept up to date instead of scanning every host per event: hosts leave when
 * their latest event ages out (a queue by deadline) and start to count when their {@code for} has
 * passed (a queue by due time). Queue items are checked against the maps when they come due, so
 * stale ones (the host reported again, or stopped holding) are simply dropped.
 */
final class Fleet implements Stream, Stateful {
  private final Rule rule;
  private final StreamContext ctx;
  private final Consumer<RuleOutput> out;
  private final Map<String, Event> latest = new HashMap<>();
  private final Map<String, Long> holdingSince = new HashMap<>();
  // The hosts of holdingSince whose for has passed: the numerator.
  private final Set<String> counted = new HashSet<>();
  private final PriorityQueue<Due> ageing = new PriorityQueue<>(DUE_ORDER);
  private final PriorityQueue<Due> holding = new PriorityQueue<>(DUE_ORDER);
  private boolean firing;
  private List<String> firingHosts = List.of();
  // Kept so that a restore re-arms exactly these: each can change the outcome (hosts expire).
  private final List<Timer> evaluations = new ArrayList<>();

  /** A host's event that expires after {@code at}, or its holding since {@code since} due at it. */
  private record Due(long at, String host, Event event, long since) {}

  private static final Comparator<Due> DUE_ORDER = Comparator.comparingLong(Due::at);

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
      leave(host);
    } else {
      latest.put(host, event);
      ageing.add(new Due(Expiry.ageDeadlineMicros(event), host, event, 0));
      if (rule.condition().matches(event)) {
        if (!holdingSince.containsKey(host)) {
          startHolding(host, now);
          evaluations.removeIf(t -> !t.isPending());
          evaluations.add(ctx.schedule(now + forMicros(), this::evaluate));
        }
      } else {
        stopHolding(host);
      }
    }
    evaluate();
  }

  private long forMicros() {
    return rule.forDuration().toNanos() / 1000;
  }

  private void startHolding(String host, long since) {
    holdingSince.put(host, since);
    long due = since > Long.MAX_VALUE - forMicros() ? Long.MAX_VALUE : since + forMicros();
    holding.add(new Due(due, host, null, since));
  }

  private void stopHolding(String host) {
    holdingSince.remove(host);
    counted.remove(host);
  }

  private void leave(String host) {
    latest.remove(host);
    stopHolding(host);
  }

  // Brings the counts to now: what a scan of every host would find.
  private void catchUp(long now) {
    while (!ageing.isEmpty() && ageing.peek().at() < now) {
      Due d = ageing.poll();
      if (latest.get(d.host()) == d.event()) {
        leave(d.host());
      }
    }
    while (!holding.isEmpty() && holding.peek().at() <= now) {
      Due d = holding.poll();
      Long since = holdingSince.get(d.host());
      if (since != null && since == d.since()) {
        counted.add(d.host());
      }
    }
  }

  private void evaluate() {
    long now = ctx.nowMicros();
    catchUp(now);
    int live = latest.size();
    boolean above = live > 0 && counted.size() > rule.fleetFraction() * live;
    if (above && !firing) {
      firing = true;
      Map<String, Event> hosts = new TreeMap<>();
      for (String host : counted) {
        hosts.put(host, latest.get(host));
      }
      firingHosts = List.copyOf(hosts.keySet());
      Event summary = summaryEvent(counted.size(), live);
      out.accept(
          RuleCompiler.output(
              rule,
              RuleOutput.Kind.FIRING,
              now,
              summary,
              List.copyOf(hosts.values()),
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
    counted.clear();
    ageing.clear();
    holding.clear();
    RuleState.map(s.get("latest"), "fleet state 'latest'")
        .forEach(
            (host, e) -> {
              Event event = RuleState.eventOrNull(e, "fleet latest event of " + host);
              if (event == null) {
                throw new IllegalArgumentException("fleet latest event of " + host + " is null");
              }
              latest.put(host, event);
              ageing.add(new Due(Expiry.ageDeadlineMicros(event), host, event, 0));
            });
    RuleState.map(s.get("holdingSince"), "fleet state 'holdingSince'")
        .forEach(
            (host, t) -> {
              long since = RuleState.number(t, "holdingSince " + host);
              // Only live hosts hold, as a scan would have found.
              if (latest.containsKey(host)) {
                startHolding(host, since);
              }
            });
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
