package dev.sixfinger.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.stream.Stream;
import dev.sixfinger.rules.stream.StreamContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  private static final long SEC = 1_000_000L;
  private static final RuleSet SHIPPED = RuleSet.load(Path.of("../config/rules"));

  private final StreamContext ctx = new StreamContext(0);
  private final List<RuleOutput> outputs = new ArrayList<>();

  private Stream compile(String name) {
    Rule rule =
        SHIPPED.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    return RuleCompiler.compile(rule, ctx, outputs::add);
  }

  private Event ev(String host, String service, double metric) {
    return Event.builder()
        .host(host)
        .service(service)
        .state("ok")
        .metric(metric)
        .timeMicros(ctx.nowMicros())
        .ttl(120f)
        .build();
  }

  @Test
  void perHostRuleFiresAfterForAndResolves() {
    Stream s = compile("swap-in-high");
    for (int t = 0; t <= 280; t += 10) {
      ctx.advanceTo(t * SEC);
      s.accept(ev("h1", "swap/in-rate", 500));
      s.accept(ev("h2", "swap/in-rate", 1));
    }
    assertEquals(List.of(), outputs);
    ctx.advanceTo(300 * SEC);
    assertEquals(1, outputs.size());
    RuleOutput fired = outputs.get(0);
    assertEquals(RuleOutput.Kind.FIRING, fired.kind());
    assertEquals("h1 is swapping in 500 pages/s", fired.summary());
    assertEquals("warning", fired.severity());
    assertEquals(List.of("h1"), fired.hosts());
    assertEquals(300 * SEC, fired.timeMicros());

    ctx.advanceTo(310 * SEC);
    s.accept(ev("h1", "swap/in-rate", 500));
    assertEquals(1, outputs.size());
    ctx.advanceTo(320 * SEC);
    s.accept(ev("h1", "swap/in-rate", 2));
    assertEquals(2, outputs.size());
    assertEquals(RuleOutput.Kind.RESOLVED, outputs.get(1).kind());
  }

  @Test
  void conditionInterruptedRestartsFor() {
    Stream s = compile("swap-in-high");
    s.accept(ev("h1", "swap/in-rate", 500));
    ctx.advanceTo(200 * SEC);
    s.accept(ev("h1", "swap/in-rate", 5));
    ctx.advanceTo(250 * SEC);
    s.accept(ev("h1", "swap/in-rate", 500));
    ctx.advanceTo(540 * SEC);
    assertEquals(List.of(), outputs);
    ctx.advanceTo(550 * SEC);
    assertEquals(1, outputs.size());
  }

  @Test
  void expiredEntityResolvesAndSilentHostFires() {
    Stream swap = compile("swap-in-high");
    Stream silent = compile("host-silent");
    swap.accept(ev("h1", "swap/in-rate", 500));
    ctx.advanceTo(300 * SEC);
    assertEquals(1, outputs.size());
    Event expired = Event.builder().host("h1").service("swap/in-rate").state("expired").build();
    swap.accept(expired);
    assertEquals(RuleOutput.Kind.RESOLVED, outputs.get(1).kind());

    silent.accept(ev("h1", "uptime/seconds", 10));
    assertEquals(2, outputs.size());
    silent.accept(Event.builder().host("h1").service("uptime/seconds").state("expired").build());
    assertEquals(3, outputs.size());
    assertEquals("h1 stopped reporting", outputs.get(2).summary());
    assertEquals("critical", outputs.get(2).severity());
  }

  /** 20 hosts report every 10 s for 10 minutes; the first {@code swapping} of them swap. */
  private void runFleet(Stream s, int swapping, long fromSec, long toSec) {
    for (long t = fromSec; t <= toSec; t += 10) {
      ctx.advanceTo(t * SEC);
      for (int i = 0; i < 20; i++) {
        s.accept(ev(String.format("h%02d", i), "swap/in-rate", i < swapping ? 500 : 1));
      }
    }
  }

  @Test
  void fleetSwapFiresAtTwentyFivePercentAndResolves() {
    Stream s = compile("fleet-swap");
    runFleet(s, 5, 0, 290);
    assertEquals(List.of(), outputs);
    runFleet(s, 5, 300, 600);
    assertEquals(1, outputs.size());
    RuleOutput fired = outputs.get(0);
    assertEquals(RuleOutput.Kind.FIRING, fired.kind());
    assertEquals(300 * SEC, fired.timeMicros());
    List<String> swappers = IntStream.range(0, 5).mapToObj(i -> String.format("h%02d", i)).toList();
    assertEquals(swappers, fired.hosts());
    assertEquals("drain", fired.healthAction());
    assertEquals("critical", fired.severity());
    assertTrue(fired.healthReason().contains("h00, h01, h02, h03, h04"), fired.healthReason());
    assertEquals(5, fired.evidence().size());

    runFleet(s, 0, 610, 700);
    assertEquals(2, outputs.size());
    assertEquals(RuleOutput.Kind.RESOLVED, outputs.get(1).kind());
    assertEquals(swappers, outputs.get(1).hosts());
    assertEquals(610 * SEC, outputs.get(1).timeMicros());
  }

  @Test
  void fleetSwapDoesNotFireAtFifteenPercent() {
    Stream s = compile("fleet-swap");
    runFleet(s, 3, 0, 1200);
    assertEquals(List.of(), outputs);
  }

  @Test
  void fleetDenominatorIsLiveHosts() {
    Stream s = compile("fleet-swap");
    // 3 of 20 swap (15%), then 8 silent hosts expire: 3 of 12 live = 25%.
    runFleet(s, 3, 0, 100);
    for (int i = 12; i < 20; i++) {
      s.accept(
          Event.builder()
              .host(String.format("h%02d", i))
              .service("swap/in-rate")
              .state("expired")
              .build());
    }
    for (long t = 110; t <= 400; t += 10) {
      ctx.advanceTo(t * SEC);
      for (int i = 0; i < 12; i++) {
        s.accept(ev(String.format("h%02d", i), "swap/in-rate", i < 3 ? 500 : 1));
      }
    }
    assertEquals(1, outputs.size());
    assertEquals(List.of("h00", "h01", "h02"), outputs.get(0).hosts());
    assertNull(outputs.get(0).labels().get("missing"));
  }

  @Test
  void windowedMeanRule() {
    Stream s = compile("memory-high");
    // Alternating 0.99 and 0.93: the 1-minute mean is 0.96 > 0.95, though half the samples are not.
    for (int t = 0; t <= 400; t += 10) {
      ctx.advanceTo(t * SEC);
      s.accept(ev("h1", "memory/used-fraction", (t / 10) % 2 == 0 ? 0.99 : 0.93));
    }
    assertEquals(1, outputs.size());
    assertEquals(RuleOutput.Kind.FIRING, outputs.get(0).kind());
    for (int t = 410; t <= 500; t += 10) {
      ctx.advanceTo(t * SEC);
      s.accept(ev("h1", "memory/used-fraction", 0.5));
    }
    assertEquals(2, outputs.size());
    assertEquals(RuleOutput.Kind.RESOLVED, outputs.get(1).kind());
  }

  @Test
  void failingCheckNamesTheService() {
    Stream s = compile("check-failing");
    Event crit =
        Event.builder()
            .host("h1")
            .service("check/ntp")
            .state("critical")
            .description("clock off by 3 s")
            .build();
    s.accept(crit);
    ctx.advanceTo(120 * SEC);
    assertEquals(1, outputs.size());
    assertEquals("check/ntp is failing on h1", outputs.get(0).summary());
    assertEquals("clock off by 3 s", outputs.get(0).description());
  }
}
