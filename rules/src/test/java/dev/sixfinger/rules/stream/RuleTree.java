package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A tree using every stateful stage, and random input for it; for snapshot tests. */
final class RuleTree {
  private RuleTree() {}

  static Stream build(Streams s, Stream out) {
    return s.all(
        s.where(
            Query.parse("service = \"load\""),
            s.by(
                List.of("host"),
                new ForkExpiry(Duration.ofSeconds(40), true),
                f ->
                    f.all(
                        f.stable(
                            Duration.ofSeconds(30),
                            e -> e.metricAsDouble() > 4,
                            f.changed(e -> e.metricAsDouble() > 4, false, label(f, "stable", out))),
                        f.rollup(1, Duration.ofSeconds(20), f.each(label(f, "rollup", out))),
                        f.movingEventWindow(3, f.mean(label(f, "mean", out))),
                        f.throttle(2, Duration.ofSeconds(15), f.counter(label(f, "counter", out))),
                        f.ewma(Duration.ofSeconds(20), f.ddt(label(f, "ddt", out))),
                        f.ewmaTimeless(0.3, label(f, "ewma-timeless", out))))),
        s.changedState("ok", label(s, "changed-state", out)),
        s.coalesce(Duration.ofSeconds(10), s.count(label(s, "coalesce", out))),
        s.rate(Duration.ofSeconds(5), label(s, "rate", out)),
        s.percentiles(Duration.ofSeconds(25), List.of(0.5, 1.0), label(s, "percentiles", out)),
        s.fixedTimeWindow(Duration.ofSeconds(12), s.sum(label(s, "fixed-time", out))),
        s.movingTimeWindow(Duration.ofSeconds(12), s.max(label(s, "moving-time", out))),
        s.fixedEventWindow(4, s.min(label(s, "fixed-events", out))));
  }

  private static Stream label(Streams s, String stage, Stream out) {
    return s.with("stage", stage, out);
  }

  static List<Event> randomEvents(long seed, int n) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += 0.1 + random.nextInt(30) / 10.0;
      String host = "h" + random.nextInt(4);
      String service = random.nextInt(5) == 0 ? "cpu" : "load";
      Event.Builder b =
          Event.builder().host(host).service(service).timeMicros(Ev.sec(t)).ttl(20f + i % 3);
      int kind = random.nextInt(100);
      if (kind < 3) {
        b.state(Expiry.EXPIRED_STATE);
      } else {
        b.state(random.nextInt(4) == 0 ? "critical" : "ok");
        b.metric(
            random.nextBoolean() ? (Number) (long) random.nextInt(9) : random.nextDouble() * 8);
      }
      events.add(b.build());
    }
    return events;
  }

  /**
   * Feeds the events (advancing the context to each event's time first), then runs the clock 200 s
   * past the last. With {@code cut} below the size, snapshots after {@code cut} events and goes on
   * with a freshly built tree restored from the snapshot, as after a restart.
   */
  static List<Event> run(List<Event> events, int cut) {
    Sink out = new Sink();
    StreamContext ctx = new StreamContext(Ev.sec(0));
    Stream tree = build(new Streams(ctx), out);
    for (int i = 0; i < events.size(); i++) {
      if (i == cut) {
        Object snapshot = Snapshots.snapshot(tree);
        ctx = new StreamContext(ctx.nowMicros());
        tree = build(new Streams(ctx), out);
        Snapshots.restore(tree, snapshot);
      }
      Event e = events.get(i);
      ctx.advanceTo(e.timeMicros());
      tree.accept(e);
    }
    ctx.advanceTo(events.get(events.size() - 1).timeMicros() + 200_000_000L);
    return out.events;
  }
}
