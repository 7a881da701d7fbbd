package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Field;
import dev.sixfinger.rules.stream.BatchStream;
import dev.sixfinger.rules.stream.Snapshots;
import dev.sixfinger.rules.stream.Stateful;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Streams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * passed even if no further event arrives. Every stage that keeps state is {@link Stateful}, so
 * {@link Snapshots} captures a compiled rule (or rule set) and restores it into an identically
 * compiled one, pending {@code for} timers included.
 */
public final class RuleCompiler {
  private RuleCompiler() {}

  /**
   * Compiles every rule of a set into one stream. Its snapshot maps each rule's name to the state
   * of that rule's tree (rules without state are left out).
   */
  public static Stream compile(RuleSet set, StreamContext ctx, Consumer<RuleOutput> out) {
    Map<String, Stream> streams = new LinkedHashMap<>();
    Map<String, String> services = new LinkedHashMap<>();
    for (Rule rule : set.rules()) {
      streams.put(rule.name(), compile(rule, ctx, out));
      rule.match().exactValue(Field.Builtin.SERVICE).ifPresent(v -> services.put(rule.name(), v));
    }
    return new Rules(streams, services);
  }

  public static Stream compile(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
    Streams s = new Streams(ctx);
    if (rule.isFleet()) {
      return s.where(rule.match(), new Fleet(rule, ctx, out));
    }
    return s.where(rule.match(), new PerEntity(rule, ctx, out));
  }

  static BatchStream aggregate(Streams s, Rule rule, Stream child) {
    return switch (rule.aggregate()) {
      case "min" -> s.min(child);
      case "max" -> s.max(child);
      case "sum" -> s.sum(child);
      case "count" -> s.count(child);
      default -> s.mean(child);
    };
  }

  /**
   * The compiled rules of a set, side by side. An event meets only the rules whose {@code match}
   * can accept its service (trying every rule's query was most of the cost with many rules), still
   * in the order of the set.
   */
  private static final class Rules implements Stream, Stateful {
    private final Map<String, Stream> streams;
    // Per service some rule pins: the rules that pin it or none; other services meet anyUnpinned.
    private final Map<String, Stream[]> byService = new HashMap<>();
    private final Stream[] unpinned;

    Rules(Map<String, Stream> streams, Map<String, String> pinnedServices) {
      this.streams = streams;
      this.unpinned = select(null, pinnedServices);
      for (String service : pinnedServices.values()) {
        byService.computeIfAbsent(service, sv -> select(sv, pinnedServices));
      }
    }

    private Stream[] select(String service, Map<String, String> pinnedServices) {
      List<Stream> selected = new ArrayList<>();
      streams.forEach(
          (name, stream) -> {
            String pinned = pinnedServices.get(name);
            if (pinned == null || pinned.equals(service)) {
              selected.add(stream);
            }
          });
      return selected.toArray(new Stream[0]);
    }

    @Override
    public void accept(Event event) {
      Stream[] meets = event.service() == null ? null : byService.get(event.service());
      for (Stream s : meets == null ? unpinned : meets) {
        s.accept(event);
      }
    }

    @Override
    public Object snapshot() {
      Map<String, Object> state = new LinkedHashMap<>();
      streams.forEach(
          (name, stream) -> {
            Object s = Snapshots.snapshot(stream);
            if (s != null) {
              state.put(name, s);
            }
          });
      return state;
    }

    @Override
    public void restore(Object state) {
      Map<String, Object> s = RuleState.map(state, "rule set state");
      for (Map.Entry<String, Object> e : s.entrySet()) {
        Stream stream = streams.get(e.getKey());
        if (stream == null) {
          throw new IllegalArgumentException("snapshot has state for unknown rule " + e.getKey());
        }
        Snapshots.restore(stream, e.getValue());
      }
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
