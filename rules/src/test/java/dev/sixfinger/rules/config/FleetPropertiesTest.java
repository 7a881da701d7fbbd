package dev.sixfinger.rules.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Expiry;
import dev.sixfinger.rules.stream.Snapshots;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fleet rule keeps its counts incrementally; here it runs beside the definition (every host
 * scanned at every evaluation) over random fleets whose hosts swap, recover, age out and expire.
 */
class FleetPropertiesTest {
  private static final long SEC = 1_000_000L;
  private static final Rule FLEET_SWAP =
      RuleSet.load(Path.of("../config/rules")).rules().stream()
          .filter(r -> r.name().equals("fleet-swap"))
          .findFirst()
          .orElseThrow();

  @Property(tries = 200)
  void firesAndResolvesAsAScanOfEveryHostWould(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 12) int hosts,
      @ForAll @IntRange(min = 0, max = 400) int restoreAtStep) {
    Random random = new Random(seed);
    StreamContext ctx = new StreamContext(0);
    List<RuleOutput> actual = new ArrayList<>();
    List<RuleOutput> expected = new ArrayList<>();
    boolean[] retired = {false};
    boolean[] swapping = new boolean[hosts];
    Stream fleet = new Fleet(FLEET_SWAP, ctx, o -> sendUnless(retired, actual, o));
    ScanningFleet model = new ScanningFleet(FLEET_SWAP, ctx, expected::add);

    for (int step = 0; step < 400; step++) {
      if (step == restoreAtStep) {
        // A restored fleet carries on as the original would have.
        Object state = Snapshots.snapshot(fleet);
        retired[0] = true;
        boolean[] fresh = {false};
        fleet = new Fleet(FLEET_SWAP, ctx, o -> sendUnless(fresh, actual, o));
        Snapshots.restore(fleet, state);
      }
      ctx.advanceTo(ctx.nowMicros() + random.nextInt(40) * SEC);
      int events = random.nextInt(hosts + 1);
      for (int i = 0; i < events; i++) {
        Event e = randomEvent(random, ctx.nowMicros(), swapping);
        fleet.accept(e);
        model.accept(e);
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static void sendUnless(boolean[] retired, List<RuleOutput> to, RuleOutput o) {
    if (!retired[0]) {
      to.add(o);
    }
  }

  // Hosts swap for a while, then recover: long enough runs for the fleet rule to fire.
  private static Event randomEvent(Random random, long now, boolean[] swapping) {
    int h = random.nextInt(swapping.length);
    if (random.nextInt(15) == 0) {
      swapping[h] = !swapping[h];
    }
    String host = "h" + h;
    if (random.nextInt(20) == 0) {
      return Event.builder().host(host).service("swap/in-rate").state("expired").build();
    }
    Event.Builder b =
        Event.builder()
            .host(host)
            .service("swap/in-rate")
            .metric(swapping[h] ? 500.0 : 1.0)
            .ttl(5f + random.nextInt(120));
    // Some events come late (they may be expired already), some have no time at all.
    if (random.nextInt(10) != 0) {
      b.timeMicros(now - random.nextInt(60) * SEC);
    }
    return b.build();
  }

  /** The fleet rule by its definition: a scan of every host at each evaluation. */
  private static final class ScanningFleet implements Stream {
    private final Rule rule;
    private final StreamContext ctx;
    private final Consumer<RuleOutput> out;
    private final Map<String, Event> latest = new HashMap<>();
    private final Map<String, Long> holdingSince = new HashMap<>();
    private boolean firing;
    private List<String> firingHosts = List.of();

    ScanningFleet(Rule rule, StreamContext ctx, Consumer<RuleOutput> out) {
      this.rule = rule;
      this.ctx = ctx;
      this.out = out;
    }

    private long forMicros() {
      return rule.forDuration().toNanos() / 1000;
    }

    @Override
    public void accept(Event event) {
      String host = event.host();
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

    private void evaluate() {
      long now = ctx.nowMicros();
      latest.values().removeIf(e -> Expiry.isExpired(e, now));
      holdingSince.keySet().retainAll(latest.keySet());
      Map<String, Event> counted = new TreeMap<>();
      holdingSince.forEach(
          (host, since) -> {
            if (now - since >= forMicros()) {
              counted.put(host, latest.get(host));
            }
          });
      int live = latest.size();
      boolean above = live > 0 && counted.size() > rule.fleetFraction() * live;
      if (above == firing) {
        return;
      }
      firing = above;
      if (above) {
        firingHosts = List.copyOf(counted.keySet());
      }
      Event summary =
          Event.builder()
              .host("fleet")
              .service(rule.name())
              .state(firing ? "critical" : "ok")
              .metric(live == 0 ? 0.0 : (double) counted.size() / live)
              .attribute("hosts", Integer.toString(counted.size()))
              .attribute("live", Integer.toString(live))
              .build();
      out.accept(
          RuleCompiler.output(
              rule,
              above ? RuleOutput.Kind.FIRING : RuleOutput.Kind.RESOLVED,
              now,
              summary,
              above ? List.copyOf(counted.values()) : List.of(),
              firingHosts));
    }
  }
}
