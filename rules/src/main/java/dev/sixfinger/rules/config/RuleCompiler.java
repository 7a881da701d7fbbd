package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.BatchStream;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Streams;
import dev.sixfinger.rules.stream.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compiles a {@link Rule} into a {@link Stream} built with the streams library:
 *
 * <pre>
 * where(match, by(fields, [movingTimeWindow(window, aggregate,)] holds(condition, for)))
 * where(match, fleet(condition, for, fraction))
 * </pre>
 *
 * Firing and resolution are driven by the context's clock, so a rule fires when its {@code for} has
 * passed even if no further event arrives.
 */
public final class RuleCompiler {
  private RuleCompiler() {}

  /** Compiles every rule of a set into one stream. */
  public static Stream compile(RuleSet set, StreamContext ctx, Consumer<RuleOutput> out) {
    List<Stream> streams = new ArrayList<>();
    for (Rule rule : set.rules()) {
      streams.add(compile(rule, ctx, out));
    }
    return event -> streams.forEach(s -> s.accept(event));
  }

  public static Stream compile(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
    Streams s = new Streams(ctx);
    if (rule.isFleet()) {
      return s.where(rule.match(), new Fleet(rule, ctx, out));
    }
    return s.where(
        rule.match(),
        s.by(
            rule.by(),
            fork -> {
              Stream holds = new Holds(rule, fork.context(), out);
              if (rule.window() == null) {
                return holds;
              }
              // Expired events bypass the window so that they resolve at once.
              Stream windowed = fork.movingTimeWindow(rule.window(), aggregate(fork, rule, holds));
              return e -> (Expiry.hasExpiredState(e) ? holds : windowed).accept(e);
            }));
  }

  private static BatchStream aggregate(Streams s, Rule rule, Stream child) {
    return switch (rule.aggregate()) {
      case "min" -> s.min(child);
      case "max" -> s.max(child);
      case "sum" -> s.sum(child);
      case "count" -> s.count(child);
      default -> s.mean(child);
    };
  }

  /** Per-entity state: fires when the condition has held for {@code for}, resolves when not. */
  private static final class Holds implements Stream {
    private final Rule rule;
    private final StreamContext ctx;
    private final Consumer<RuleOutput> out;
    private Timer pending;
    private boolean firing;
    private Event last;

    Holds(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
      this.rule = rule;
      this.ctx = ctx;
      this.out = out;
    }

    @Override
    public void accept(Event event) {
      boolean holds = !Expiry.hasExpiredState(event) && rule.condition().matches(event);
      // A silent-host rule matches expired events: then "expired" is the condition itself.
      if (Expiry.hasExpiredState(event) && rule.condition().matches(event)) {
        holds = true;
      }
      last = event;
      if (holds) {
        if (!firing && pending == null && rule.forDuration().isZero()) {
          fire(); // at once: the fork may be freed right after an expired event
        } else if (!firing && pending == null) {
          pending = ctx.schedule(ctx.nowMicros() + rule.forDuration().toNanos() / 1000, this::fire);
        }
        return;
      }
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
      if (firing) {
        firing = false;
        emit(RuleOutput.Kind.RESOLVED, event);
      }
    }

    private void fire() {
      pending = null;
      firing = true;
      emit(RuleOutput.Kind.FIRING, last);
    }

    private void emit(RuleOutput.Kind kind, Event event) {
      List<String> hosts = event.host() == null ? List.of() : List.of(event.host());
      out.accept(output(rule, kind, ctx.nowMicros(), event, List.of(event), hosts));
    }
  }

  /**
   * Fleet state: the latest event per live host; a host counts once its condition has held for
   * {@code for}. Fires when more than {@code fraction} of the live hosts count, resolves when it
   * drops back to or below it.
   */
  private static final class Fleet implements Stream {
    private final Rule rule;
    private final StreamContext ctx;
    private final Consumer<RuleOutput> out;
    private final Map<String, Event> latest = new HashMap<>();
    private final Map<String, Long> holdingSince = new HashMap<>();
    private boolean firing;
    private List<String> firingHosts = List.of();

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
            ctx.schedule(now + forMicros(), this::evaluate);
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
            output(
                rule,
                RuleOutput.Kind.FIRING,
                now,
                summary,
                List.copyOf(counted.values()),
                firingHosts));
      } else if (!above && firing) {
        firing = false;
        Event summary = summaryEvent(counted.size(), live);
        out.accept(output(rule, RuleOutput.Kind.RESOLVED, now, summary, List.of(), firingHosts));
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
  }

  static RuleOutput output(
      Rule rule,
      RuleOutput.Kind kind,
      long now,
      Event event,
      List<Event> evidence,
      List<String> hosts) {
    Rule.Alert a = rule.alert();
    Rule.Health h = rule.health();
    return new RuleOutput(
        rule.name(),
        kind,
        now,
        a == null ? null : a.severity(),
        a == null ? null : a.labels(),
        a == null ? null : Templates.render(a.summary(), event, a.labels(), hosts),
        a == null ? null : Templates.render(a.description(), event, a.labels(), hosts),
        h == null ? null : h.action(),
        h == null
            ? null
            : Templates.render(h.reason(), event, a == null ? Map.of() : a.labels(), hosts),
        evidence,
        hosts);
  }
}
