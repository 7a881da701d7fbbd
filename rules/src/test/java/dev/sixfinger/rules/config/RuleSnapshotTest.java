package dev.sixfinger.rules.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Snapshots;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A compiled rule snapshotted mid-run and restored into a freshly compiled one (optionally through
 * JSON) emits exactly what an uninterrupted one does; and silent hosts resolve on return.
 */
class RuleSnapshotTest {
  private static final long SEC = 1_000_000L;
  private static final long T0 = 1_700_000_000L * SEC;
  private static final RuleSet SHIPPED = RuleSet.load(Path.of("../config/rules"));

  /** The events arriving at second {@code t} after T0. */
  private interface Script {
    List<Event> at(long t);
  }

  private static Rule rule(String name) {
    return SHIPPED.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static BiFunction<StreamContext, Consumer<RuleOutput>, Stream> compiled(String name) {
    Rule rule = rule(name);
    return (ctx, out) -> RuleCompiler.compile(rule, ctx, out);
  }

  private static Event ev(long t, String host, String service, Number metric) {
    return Event.builder()
        .host(host)
        .service(service)
        .state("ok")
        .metric(metric)
        .timeMicros(T0 + t * SEC)
        .ttl(120f)
        .build();
  }

  private static Event expired(long t, String host, String service) {
    return Event.builder()
        .host(host)
        .service(service)
        .state("expired")
        .timeMicros(T0 + t * SEC)
        .build();
  }

  /**
   * Runs second by second up to {@code end}. At second {@code cut} (after that second's timers,
   * before its events) snapshots, and goes on with a tree compiled anew on a new context at the
   * snapshot's time and restored from it, as after a restart; {@code cut < 0} never cuts.
   */
  private static List<RuleOutput> run(
      BiFunction<StreamContext, Consumer<RuleOutput>, Stream> build,
      Script script,
      long end,
      long cut,
      boolean json) {
    List<RuleOutput> out = new ArrayList<>();
    StreamContext ctx = new StreamContext(T0);
    Stream tree = build.apply(ctx, out::add);
    for (long t = 0; t <= end; t++) {
      ctx.advanceTo(T0 + t * SEC);
      if (t == cut) {
        Object snapshot = Snapshots.snapshot(tree);
        if (json) {
          snapshot = SnapshotJson.roundTrip(snapshot);
        }
        ctx = new StreamContext(ctx.nowMicros());
        tree = build.apply(ctx, out::add);
        Snapshots.restore(tree, snapshot);
      }
      for (Event e : script.at(t)) {
        tree.accept(e);
      }
    }
    return out;
  }

  private static List<String> brief(List<RuleOutput> outputs) {
    return outputs.stream()
        .map(
            o ->
                o.kind()
                    + " "
                    + String.join(",", o.hosts())
                    + " @"
                    + (o.timeMicros() - T0) / SEC
                    + ((o.timeMicros() - T0) % SEC == 0 ? "" : "+"))
        .toList();
  }

  private static void assertRestoredRunsMatch(
      BiFunction<StreamContext, Consumer<RuleOutput>, Stream> build,
      Script script,
      long end,
      List<RuleOutput> uninterrupted,
      long... cuts) {
    for (long cut : cuts) {
      for (boolean json : new boolean[] {false, true}) {
        assertThat(run(build, script, end, cut, json))
            .as("cut at %d s, through JSON: %s", cut, json)
            .isEqualTo(uninterrupted);
      }
    }
  }

  // Every 10 s at offset 5: h1 swaps until 700, h2 from 100 to 250, h3 from 200 to 600.
  private static final Script SWAP =
      t -> {
        if (t % 10 != 5) {
          return List.of();
        }
        return List.of(
            ev(t, "h1", "swap/in-rate", t < 700 ? 500L : 1L),
            ev(t, "h2", "swap/in-rate", t >= 100 && t < 250 ? 500L : 1L),
            ev(t, "h3", "swap/in-rate", t >= 200 && t < 600 ? 500.0 : 1.0));
      };

  @Test
  void perEntityRuleWithPendingForTimer() {
    List<RuleOutput> uninterrupted = run(compiled("swap-in-high"), SWAP, 800, -1, false);
    // h1 fires by its for timer at 305, before that second's events.
    assertThat(brief(uninterrupted))
        .containsExactly(
            "FIRING h1 @305", "FIRING h3 @505", "RESOLVED h3 @605", "RESOLVED h1 @705");
    // 150: h1 and h2 pending; 300: h1 due at 305, h3 pending; 550: h1 and h3 firing.
    assertRestoredRunsMatch(compiled("swap-in-high"), SWAP, 800, uninterrupted, 150, 300, 550);
  }

  // h1 alternates 0.99 / 0.93 (1-minute mean 0.96) until 400, then 0.5; h2 reports 0.99, expires at
  // 255 and comes back at 405.
  private static final Script MEMORY =
      t -> {
        if (t % 10 != 5) {
          return List.of();
        }
        List<Event> events = new ArrayList<>();
        double h1 = t >= 400 ? 0.5 : ((t - 5) / 10) % 2 == 0 ? 0.99 : 0.93;
        events.add(ev(t, "h1", "memory/used-fraction", h1));
        if (t < 250 || t >= 405) {
          events.add(ev(t, "h2", "memory/used-fraction", 0.99));
        } else if (t == 255) {
          events.add(expired(t, "h2", "memory/used-fraction"));
        }
        return events;
      };

  @Test
  void windowedRule() {
    List<RuleOutput> uninterrupted = run(compiled("memory-high"), MEMORY, 800, -1, false);
    assertThat(brief(uninterrupted))
        .containsExactly("FIRING h1 @305", "RESOLVED h1 @405", "FIRING h2 @705");
    // At 150 and 210 the next h1 sample is 0.93: without the window's events its mean would not
    // hold, and the pending for would restart.
    assertRestoredRunsMatch(
        compiled("memory-high"), MEMORY, 800, uninterrupted, 150, 210, 300, 410);
  }

  private static String host(int i) {
    return String.format("h%02d", i);
  }

  // 20 hosts every 10 s at offset 5 (h04 every 40 s at offset 7); h00-h03 swap from 0 and h04 from
  // 40, all until 600; h18 falls silent at 300, h19 expires at 400.
  private static final Script FLEET =
      t -> {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          boolean due = i == 4 ? t % 40 == 7 : t % 10 == 5;
          boolean swapping = i < 4 ? t < 600 : i == 4 && t >= 40 && t < 600;
          if ((i == 18 && t >= 300) || (i == 19 && t > 400)) {
            continue;
          }
          if (i == 19 && t == 400) {
            events.add(expired(t, host(i), "swap/in-rate"));
          } else if (due) {
            events.add(ev(t, host(i), "swap/in-rate", swapping ? 500.0 : 1.0));
          }
        }
        return events;
      };

  @Test
  void fleetRule() {
    List<RuleOutput> uninterrupted = run(compiled("fleet-swap"), FLEET, 800, -1, false);
    String five = String.join(",", IntStream.range(0, 5).mapToObj(RuleSnapshotTest::host).toList());
    // 4 of 20 at 305 is not above 20%; h04's for ends at 347, between events: the timer fires it.
    assertThat(brief(uninterrupted))
        .containsExactly("FIRING " + five + " @347", "RESOLVED " + five + " @605");
    assertThat(uninterrupted.get(0).evidence()).hasSize(5);
    // 200: every evaluation timer pending; 346: only h04's; 500: firing; 606: resolved.
    assertRestoredRunsMatch(compiled("fleet-swap"), FLEET, 800, uninterrupted, 200, 346, 500, 606);
  }

  // h1 and h2 report uptime every 10 s; h1 expires at 120, is silent for well over the by-fork idle
  // time (1 h), reports again from 5005, and expires again at 6030.
  private static final Script SILENT =
      t -> {
        List<Event> events = new ArrayList<>();
        if (t % 10 == 5) {
          events.add(ev(t, "h2", "uptime/seconds", t));
          if (t < 100 || (t >= 5000 && t < 6000)) {
            events.add(ev(t, "h1", "uptime/seconds", t));
          }
        }
        if (t == 120 || t == 6030) {
          events.add(expired(t, "h1", "uptime/seconds"));
        }
        return events;
      };

  @Test
  void silentHostFiresThenResolvesOnceWhenItReturns() {
    List<RuleOutput> uninterrupted = run(compiled("host-silent"), SILENT, 6100, -1, false);
    assertThat(brief(uninterrupted))
        .containsExactly("FIRING h1 @120", "RESOLVED h1 @5005", "FIRING h1 @6030");
    assertThat(uninterrupted.get(0).summary()).isEqualTo("h1 stopped reporting");
    assertThat(uninterrupted.get(1).evidence())
        .containsExactly(ev(5005, "h1", "uptime/seconds", 5005L));
    assertRestoredRunsMatch(compiled("host-silent"), SILENT, 6100, uninterrupted, 125, 4000, 5010);
  }

  @Test
  void silentHostWithAForFiresAfterItEvenThoughItsForkIsFreed() {
    Rule base = rule("host-silent");
    Rule slow =
        new Rule(
            base.name(),
            base.file(),
            base.match(),
            base.by(),
            base.condition(),
            Duration.ofMinutes(2),
            null,
            null,
            base.alert(),
            base.health(),
            null,
            base.line(),
            base.column());
    BiFunction<StreamContext, Consumer<RuleOutput>, Stream> build =
        (ctx, out) -> RuleCompiler.compile(slow, ctx, out);
    List<RuleOutput> uninterrupted = run(build, SILENT, 6100, -1, false);
    // Silent from 120 for 2 min: fires at 240; back at 5005; silent again at 6030 but only until
    // 6100, under 2 min: stays pending.
    assertThat(brief(uninterrupted)).containsExactly("FIRING h1 @240", "RESOLVED h1 @5005");
    assertRestoredRunsMatch(build, SILENT, 6100, uninterrupted, 125, 4000, 6050);
  }

  @Test
  void aSnapshotThroughJsonHoldsEventsAndIntegersAndRestoresToTheSame() {
    BiFunction<StreamContext, Consumer<RuleOutput>, Stream> build = compiled("swap-in-high");
    StreamContext ctx = new StreamContext(T0);
    Stream a = build.apply(ctx, o -> {});
    for (long t = 0; t <= 150; t++) {
      ctx.advanceTo(T0 + t * SEC);
      SWAP.at(t).forEach(a::accept);
    }
    Object json = SnapshotJson.roundTrip(Snapshots.snapshot(a));
    // h1 pending since 5 s; Jackson reads small longs (timer order) back as Integers.
    assertThat(json.toString()).contains("pending=[" + (T0 + 305 * SEC) + ", ");
    assertThat(holds(json, Integer.class)).isTrue();
    assertThat(holds(json, Event.class)).isTrue();
    Stream b = build.apply(new StreamContext(ctx.nowMicros()), o -> {});
    Snapshots.restore(b, json);
    assertThat(SnapshotJson.roundTrip(Snapshots.snapshot(b))).isEqualTo(json);
  }

  private static boolean holds(Object tree, Class<?> type) {
    if (type.isInstance(tree)) {
      return true;
    }
    if (tree instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(v -> holds(v, type));
    }
    return tree instanceof List<?> l && l.stream().anyMatch(v -> holds(v, type));
  }

  @Test
  void aWholeRuleSetRestores() {
    Script all =
        t -> {
          List<Event> events = new ArrayList<>(FLEET.at(t));
          events.addAll(SWAP.at(t));
          events.addAll(MEMORY.at(t));
          events.addAll(SILENT.at(t));
          return events;
        };
    BiFunction<StreamContext, Consumer<RuleOutput>, Stream> build =
        (ctx, out) -> RuleCompiler.compile(SHIPPED, ctx, out);
    List<RuleOutput> uninterrupted = run(build, all, 800, -1, false);
    assertThat(uninterrupted)
        .extracting(RuleOutput::rule)
        .contains("fleet-swap", "swap-in-high", "memory-high", "host-silent");
    assertRestoredRunsMatch(build, all, 800, uninterrupted, 125, 346, 550);
  }
}
