package dev.sixfinger.rules.config;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.Stateful;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import dev.sixfinger.rules.stream.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One entity of a per-entity rule: fires once the condition has held for {@code for} (on the
 * context's clock, so no further event is needed), resolves when an event no longer satisfies it.
 *
 * <p>Snapshot: {@code {"firing": Boolean, "last": Event or null, "pending": timer or null}}, the
 * pending {@code for} timer as {@link StreamContext#timerState}.
 */
final class Holds implements Stream, Stateful {
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
    // An expired event says the entity went away, not that its last value still holds: it is
    // judged without its metric, so `metric > 100` resolves while `state = "expired"` (a silent
    // host) holds.
    boolean holds =
        rule.condition()
            .matches(
                Expiry.hasExpiredState(event) ? event.toBuilder().metric(null).build() : event);
    last = event;
    if (holds) {
      if (!firing && pending == null) {
        if (rule.forDuration().isZero()) {
          fire(); // at once: the fork may be freed right after an expired event
        } else {
          pending = ctx.schedule(ctx.nowMicros() + rule.forDuration().toNanos() / 1000, this::fire);
        }
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

  /** Firing or about to: state that must outlive a freed fork. */
  boolean active() {
    return firing || pending != null;
  }

  /** Takes {@code other}'s state, re-arming its pending timer on this context; empties it. */
  void takeOver(Holds other) {
    clear();
    firing = other.firing;
    last = other.last;
    if (other.pending != null) {
      pending = ctx.schedule(other.pending.atMicros(), this::fire);
    }
    other.clear();
  }

  /** Forgets the state and cancels the pending timer. */
  void clear() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
    firing = false;
    last = null;
  }

  private void fire() {
    pending = null;
    firing = true;
    emit(RuleOutput.Kind.FIRING, last);
  }

  private void emit(RuleOutput.Kind kind, Event event) {
    List<String> hosts = event.host() == null ? List.of() : List.of(event.host());
    out.accept(RuleCompiler.output(rule, kind, ctx.nowMicros(), event, List.of(event), hosts));
  }

  @Override
  public Object snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("firing", firing);
    s.put("last", last);
    s.put("pending", StreamContext.timerState(pending));
    return s;
  }

  @Override
  public void restore(Object state) {
    Map<String, Object> s = RuleState.map(state, "holds state");
    clear();
    firing = RuleState.bool(s, "firing", "holds");
    last = RuleState.eventOrNull(s.get("last"), "holds state 'last'");
    pending = ctx.restoreTimer(s.get("pending"), this::fire);
  }
}
