package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.config.RuleCompiler;
import dev.sixfinger.rules.config.RuleOutput;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import java.util.Locale;

/**
 * Ours: the rule set compiled by {@link RuleCompiler#compile(RuleSet, StreamContext,
 * java.util.function.Consumer)} into one stream, on a {@link StreamContext} that follows event
 * time: before each event whose time is past the context's, the context advances to it (running the
 * timers due: rules whose {@code for} has passed fire). Outputs are counted.
 */
final class CompiledStreams implements RulesUnderTest {
  private final StreamContext ctx;
  private final Stream stream;
  private long firing;
  private long resolved;
  private long advances;

  CompiledStreams(RuleSet rules, long startMicros) {
    this.ctx = new StreamContext(startMicros);
    this.stream = RuleCompiler.compile(rules, ctx, this::output);
  }

  private void output(RuleOutput output) {
    if (output.kind() == RuleOutput.Kind.FIRING) {
      firing++;
    } else {
      resolved++;
    }
  }

  @Override
  public void accept(Event event) {
    Long time = event.timeMicros();
    if (time != null && time > ctx.nowMicros()) {
      ctx.advanceTo(time);
      advances++;
    }
    stream.accept(event);
  }

  long firing() {
    return firing;
  }

  long resolved() {
    return resolved;
  }

  @Override
  public String summary() {
    return String.format(
        Locale.ROOT,
        "streams: %,d firing and %,d resolved outputs, %,d clock advances, %,d timers pending",
        firing,
        resolved,
        advances,
        ctx.pendingTimers());
  }
}
