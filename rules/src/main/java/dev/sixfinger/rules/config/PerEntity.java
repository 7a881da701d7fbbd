package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.EventFields;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.ForkExpiry;
import dev.sixfinger.rules.stream.Snapshots;
import dev.sixfinger.rules.stream.Stateful;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Streams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A per-entity rule: {@code by(fields, [movingTimeWindow(window, aggregate,)] holds)}.
 *
 * <p>{@code by} frees a fork right after an expired event. If that event leaves the entity firing
 * or about to (a condition that matches expired events, as for silent hosts), its {@link Holds}
 * state is parked here, keyed by the {@code by} values, and handed to the key's next fork: the
 * entity then resolves when it reports again, however long it was silent. A parked entity that
 * never returns stays parked (one small entry).
 *
 * <p>Snapshot: {@code {"parked": [{"key": [String or null, ...], "holds": Holds state}, ...], "by":
 * Snapshots tree of the by stage}}; each fork's state is {@code Snapshots} of its window (which
 * holds the {@code Holds}) or of its {@code Holds}.
 */
final class PerEntity implements Stream, Stateful {
  private final Rule rule;
  private final StreamContext ctx;
  private final Consumer<RuleOutput> out;
  private final Function<Event, List<String>> key;
  private final Stream by;
  // Insertion order keeps snapshots deterministic.
  private final Map<List<String>, Holds> parked = new LinkedHashMap<>();

  PerEntity(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
    this.rule = rule;
    this.ctx = ctx;
    this.out = out;
    this.key = key(rule.by());
    // The default frees a fork on an expired event: parking below depends on that.
    this.by = new Streams(ctx).byKey(key, ForkExpiry.DEFAULT, Fork::new);
  }

  @Override
  public void accept(Event event) {
    by.accept(event);
  }

  /** The root of one fork: hands parked state over, lets expired events bypass the window. */
  private final class Fork implements Stream, Stateful {
    private final Holds holds;
    private final Stream window;
    private boolean seen;

    Fork(Streams f) {
      holds = new Holds(rule, f.context(), out);
      window =
          rule.window() == null
              ? null
              : f.movingTimeWindow(rule.window(), RuleCompiler.aggregate(f, rule, holds));
    }

    @Override
    public void accept(Event event) {
      if (!seen) {
        seen = true;
        Holds back = parked.isEmpty() ? null : parked.remove(key.apply(event));
        if (back != null) {
          holds.takeOver(back);
        }
      }
      boolean expired = Expiry.hasExpiredState(event);
      // Expired events bypass the window so that they resolve at once.
      (window == null || expired ? holds : window).accept(event);
      if (expired && holds.active()) {
        Holds keep = new Holds(rule, ctx, out);
        keep.takeOver(holds);
        parked.put(key.apply(event), keep);
        seen = false; // were this fork kept, its next event would take the state back
      }
    }

    private Stream root() {
      return window == null ? holds : window;
    }

    @Override
    public Object snapshot() {
      return Snapshots.snapshot(root());
    }

    @Override
    public void restore(Object state) {
      seen = true; // a fork exists only once its key has had an event
      Snapshots.restore(root(), state);
    }
  }

  @Override
  public Object snapshot() {
    List<Object> entries = new ArrayList<>();
    parked.forEach(
        (k, holds) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("key", new ArrayList<>(k));
          entry.put("holds", holds.snapshot());
          entries.add(entry);
        });
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("parked", entries);
    s.put("by", Snapshots.snapshot(by));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = RuleState.map(state, "rule " + rule.name() + " state");
    for (Holds holds : parked.values()) {
      holds.clear();
    }
    parked.clear();
    for (Object o : RuleState.list(s.get("parked"), "parked entities")) {
      Map<String, Object> entry = RuleState.map(o, "parked entity");
      List<?> values = RuleState.list(entry.get("key"), "parked entity key");
      String[] k = new String[values.size()];
      for (int i = 0; i < k.length; i++) {
        Object v = values.get(i);
        k[i] = v == null ? null : RuleState.string(v, "parked entity key value");
      }
      Holds holds = new Holds(rule, ctx, out);
      holds.restore(entry.get("holds"));
      parked.put(new EntityKey(k), holds);
    }
    Snapshots.restore(by, s.get("by"));
  }

  /**
   * The {@code by} values as strings (nulls kept), so that a key read back from JSON equals the key
   * of the entity's next event. Field names as in {@link Streams#by}.
   */
  static Function<Event, List<String>> key(List<String> fields) {
    @SuppressWarnings("unchecked")
    Function<Event, Object>[] getters = new Function[fields.size()];
    for (int i = 0; i < getters.length; i++) {
      getters[i] = EventFields.getter(fields.get(i));
    }
    return e -> {
      String[] k = new String[getters.length];
      for (int i = 0; i < getters.length; i++) {
        Object v = getters[i].apply(e);
        k[i] = v == null ? null : v.toString();
      }
      return new EntityKey(k);
    };
  }
}
