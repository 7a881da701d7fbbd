package dev.sixfinger.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.rules.config.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEngineTest {
  private static final long T0 = 1_800_000_000_000_000L;
  private static final long S = 1_000_000L;

  private static final String SWAP =
      """
      - name: swap
        match: service = "swap/in-rate"
        condition: metric > 100
        for: 5m
        alert: {severity: warning, summary: "{{host}} swaps"}
      """;

  private static final String FLEET =
      """
      - name: fleet-swap
        match: service = "swap/in-rate"
        condition: metric > 100
        for: 1m
        fleet: {fraction: 0.2}
        alert: {severity: critical, summary: "fleet swaps"}
        health: {action: drain, reason: "swapping"}
      """;

  @TempDir Path dir;
  private final List<EngineRecord> out = new ArrayList<>();

  private RuleSet rules(String yaml) throws IOException {
    Files.writeString(dir.resolve("rules.yml"), yaml);
    RuleSet set = RuleSet.load(dir);
    assertThat(set.errors()).isEmpty();
    return set;
  }

  private static Event swap(String host, long at, double metric) {
    return Event.builder()
        .host(host)
        .service("swap/in-rate")
        .metric(metric)
        .timeMicros(at)
        .ttl(60f)
        .build();
  }

  private List<AlertRecord> alerts() {
    return out.stream().filter(r -> r instanceof AlertRecord).map(r -> (AlertRecord) r).toList();
  }

  private List<HealthRecord> health() {
    return out.stream().filter(r -> r instanceof HealthRecord).map(r -> (HealthRecord) r).toList();
  }

  @Test
  void aHostAlertFiresOnceAfterItsForAndResolves() throws IOException {
    RuleEngine engine = new RuleEngine(rules(SWAP), T0, EngineSettings.DEFAULTS, out::add);
    for (long t = 0; t <= 400; t += 10) {
      engine.process(T0 + t * S, swap("n1", T0 + t * S, 500));
    }
    engine.process(T0 + 410 * S, swap("n1", T0 + 410 * S, 0));

    assertThat(alerts())
        .extracting(a -> a.status(), a -> a.timeMicros())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlertRecord.Status.FIRING, T0 + 300 * S),
            org.assertj.core.groups.Tuple.tuple(AlertRecord.Status.RESOLVED, T0 + 410 * S));
    AlertRecord firing = alerts().get(0);
    assertThat(firing.labels())
        .containsEntry("alertname", "swap")
        .containsEntry("host", "n1")
        .containsEntry("service", "swap/in-rate")
        .containsEntry("severity", "warning");
    assertThat(alerts().get(1).fingerprint()).isEqualTo(firing.fingerprint());
    assertThat(alerts().get(1).startsAtMicros()).isEqualTo(T0 + 300 * S);
    assertThat(alerts().get(1).endsAtMicros()).isEqualTo(T0 + 410 * S);
    assertThat(firing.summary()).isEqualTo("n1 swaps");
  }

  @Test
  void aFleetRuleDrainsTheHostsInvolvedAndClearsThem() throws IOException {
    RuleEngine engine = new RuleEngine(rules(FLEET), T0, EngineSettings.DEFAULTS, out::add);
    for (long t = 0; t <= 120; t += 10) {
      for (int h = 0; h < 10; h++) {
        engine.process(T0 + t * S, swap("n" + h, T0 + t * S, h < 3 ? 500 : 0));
      }
    }
    assertThat(alerts()).hasSize(1);
    assertThat(alerts().get(0).status()).isEqualTo(AlertRecord.Status.FIRING);
    assertThat(alerts().get(0).timeMicros()).isEqualTo(T0 + 60 * S);
    assertThat(health()).extracting(HealthRecord::host).containsExactly("n0", "n1", "n2");
    assertThat(health()).allSatisfy(h -> assertThat(h.action()).isEqualTo("drain"));
    assertThat(health().get(0).decisions().get(0).rule()).isEqualTo("fleet-swap");
    out.clear();

    for (int h = 0; h < 10; h++) {
      engine.process(T0 + 130 * S, swap("n" + h, T0 + 130 * S, 0));
    }
    assertThat(alerts())
        .extracting(AlertRecord::status)
        .containsExactly(AlertRecord.Status.RESOLVED);
    assertThat(health()).extracting(HealthRecord::host).containsExactly("n0", "n1", "n2");
    assertThat(health()).allSatisfy(h -> assertThat(h.action()).isEqualTo(HealthRecord.NONE));
  }

  @Test
  void healthInForceIsRenewedEveryThirdOfItsTtl() throws IOException {
    EngineSettings settings = new EngineSettings(Duration.ofSeconds(60), Duration.ofMinutes(3));
    RuleEngine engine = new RuleEngine(rules(FLEET), T0, settings, out::add);
    for (long t = 0; t <= 600; t += 10) {
      for (int h = 0; h < 5; h++) {
        engine.process(T0 + t * S, swap("n" + h, T0 + t * S, h < 2 ? 500 : 0));
      }
    }
    List<HealthRecord> n0 = health().stream().filter(h -> h.host().equals("n0")).toList();
    // Fired at 60 s, then renewed at every whole minute after (3 min / 3).
    assertThat(n0).extracting(HealthRecord::timeMicros).startsWith(T0 + 60 * S);
    assertThat(n0).hasSizeGreaterThanOrEqualTo(9);
    assertThat(n0.get(n0.size() - 1).expiresAtMicros() - n0.get(n0.size() - 1).timeMicros())
        .isEqualTo(180 * S);
  }

  @Test
  void aReloadKeepsTheStateOfUnchangedRulesAndRestartsChangedOnes() throws IOException {
    RuleEngine engine = new RuleEngine(rules(SWAP + FLEET), T0, EngineSettings.DEFAULTS, out::add);
    for (long t = 0; t <= 200; t += 10) {
      engine.process(T0 + t * S, swap("n1", T0 + t * S, 500));
    }
    assertThat(alerts()).extracting(AlertRecord::rule).containsExactly("fleet-swap");
    ReloadResult result = engine.reload(rules(SWAP + FLEET.replace("for: 1m", "for: 2m")));
    assertThat(result.kept()).containsExactly("swap");
    assertThat(result.changed()).containsExactly("fleet-swap");
    // The changed rule's alert is resolved at once.
    assertThat(alerts())
        .extracting(AlertRecord::rule, AlertRecord::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fleet-swap", AlertRecord.Status.FIRING),
            org.assertj.core.groups.Tuple.tuple("fleet-swap", AlertRecord.Status.RESOLVED));
    out.clear();
    for (long t = 210; t <= 400; t += 10) {
      engine.process(T0 + t * S, swap("n1", T0 + t * S, 500));
    }
    // swap kept its 200 s of holding: it fires at 300 s, not 210 + 300 s.
    assertThat(alerts())
        .extracting(AlertRecord::rule, AlertRecord::timeMicros)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("swap", T0 + 300 * S),
            org.assertj.core.groups.Tuple.tuple("fleet-swap", T0 + 330 * S));
  }

  @Test
  void anInvalidSetIsRefusedAndTheOldOneRuns() throws IOException {
    RuleEngine engine = new RuleEngine(rules(SWAP), T0, EngineSettings.DEFAULTS, out::add);
    Files.writeString(dir.resolve("rules.yml"), "- name: broken\n  match: service = \n");
    ReloadResult result = engine.reload(RuleSet.load(dir));
    assertThat(result.applied()).isFalse();
    assertThat(result.errors()).isNotEmpty();
    assertThat(engine.rules()).extracting(r -> r.name()).containsExactly("swap");
  }

  @Test
  void expiredEntriesAreFedToTheRules() throws IOException {
    RuleEngine engine =
        new RuleEngine(
            rules(
                """
                - name: silent
                  match: service = "uptime/seconds"
                  by: [host]
                  condition: state = "expired"
                  for: 0s
                  alert: {severity: critical, summary: "{{host}} is silent"}
                """),
            T0,
            EngineSettings.DEFAULTS,
            out::add);
    engine.process(
        T0,
        Event.builder()
            .host("n1")
            .service("uptime/seconds")
            .metric(1L)
            .timeMicros(T0)
            .ttl(30f)
            .build());
    engine.advanceTo(T0 + 29 * S);
    assertThat(alerts()).isEmpty();
    engine.advanceTo(T0 + 31 * S);
    assertThat(alerts()).extracting(AlertRecord::summary).containsExactly("n1 is silent");
    assertThat(engine.index().size()).isZero();
  }

  @Test
  void aRestoredSnapshotContinuesExactlyLikeTheOriginal() throws IOException {
    RuleSet set = rules(SWAP + FLEET);
    List<EngineRecord> a = new ArrayList<>();
    RuleEngine original = new RuleEngine(set, T0, EngineSettings.DEFAULTS, a::add);
    for (long t = 0; t <= 150; t += 10) {
      for (int h = 0; h < 5; h++) {
        original.process(T0 + t * S, swap("n" + h, T0 + t * S, h < 2 ? 500 : 0));
      }
    }
    byte[] bytes = SnapshotCodec.encode(original.snapshot());
    List<EngineRecord> b = new ArrayList<>();
    RuleEngine restored =
        RuleEngine.restore(set, SnapshotCodec.decode(bytes), EngineSettings.DEFAULTS, b::add);
    a.clear();
    for (RuleEngine engine : List.of(original, restored)) {
      for (long t = 160; t <= 900; t += 10) {
        for (int h = 0; h < 5; h++) {
          engine.process(T0 + t * S, swap("n" + h, T0 + t * S, t < 600 && h < 2 ? 500 : 0));
        }
      }
      engine.advanceTo(T0 + 2000 * S);
    }
    assertThat(a).isNotEmpty();
    assertThat(b).containsExactlyElementsOf(a);
    assertThat(restored.index().size()).isEqualTo(original.index().size());
  }
}
