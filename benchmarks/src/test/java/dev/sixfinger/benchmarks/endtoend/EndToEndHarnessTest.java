package dev.sixfinger.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.riemann.RiemannProto;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.engine.RuleEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndHarnessTest {
  private static final long MS = 1_000_000;
  private static final long M = ProbeTracker.MISSING;

  @Test
  void pacerSendsOnePerPeriodAndDropsWhatIsMoreThanMaxLagBehind() {
    Pacer p = new Pacer(1_000, 100, 300);
    assertThat(p.due(0)).isEqualTo(1_000); // not yet
    p.sent();
    assertThat(p.due(1_050)).isEqualTo(1_100);
    p.sent();
    // 1,000 behind: catch up no further back than 300.
    assertThat(p.due(2_200)).isEqualTo(1_900);
    assertThat(p.dropped()).isEqualTo(7);
    p.sent();
    assertThat(p.due(2_200)).isEqualTo(2_000);
    assertThat(Pacer.periodNanos(100_000, 100, 2)).isEqualTo(2_000_000);
  }

  @Test
  void probeIdsComeFromHostsAndEventKeys() {
    assertThat(ProbeTracker.idOf("probe-42")).isEqualTo(42);
    assertThat(ProbeTracker.idOf("node-0042.dc1.example.net")).isEqualTo(-1);
    assertThat(ProbeTracker.idOf("probe-x")).isEqualTo(-1);
    assertThat(ProbeTracker.idOf(null)).isEqualTo(-1);
    assertThat(ProbeTracker.idOfKey("probe-7".getBytes(StandardCharsets.UTF_8))).isEqualTo(7);
    assertThat(ProbeTracker.idOfKey("probe-".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    assertThat(ProbeTracker.idOfKey("node-1".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    assertThat(ProbeTracker.idOfKey(null)).isEqualTo(-1);
  }

  @Test
  void mapsRecordTimestampsOntoTheNanoScale() {
    ProbeTracker t = new ProbeTracker(5_000 * MS, 1_700_000_000_000L);
    assertThat(t.nanosAt(1_700_000_000_250L)).isEqualTo(5_250 * MS);
    t.sent(3, true, 5_000 * MS);
    t.eventSeen(3, 5_010 * MS, 1_700_000_000_004L);
    t.eventSeen(3, 5_900 * MS, 1_700_000_000_800L); // only the first sighting counts
    assertThat(t.measured().get(0).eventSeenNanos()).isEqualTo(5_010 * MS);
    assertThat(t.measured().get(0).eventRecordNanos()).isEqualTo(5_004 * MS);
    assertThat(t.outstanding()).isEqualTo(1);
  }

  @Test
  void statsSeparateFailuresFromLatenciesAndClampEarlySightings() {
    List<ProbeTimes> probes = new ArrayList<>();
    // id, send, ack, error, event seen, event record, alert seen, alert record
    probes.add(new ProbeTimes(1, 0, 10 * MS, null, 15 * MS, 5 * MS, 110 * MS, 40 * MS, M));
    probes.add(new ProbeTimes(2, 0, 10 * MS, null, 8 * MS, 5 * MS, 210 * MS, 60 * MS, M));
    probes.add(new ProbeTimes(3, 0, 10 * MS, null, 20 * MS, 5 * MS, M, M, M)); // alert never came
    probes.add(new ProbeTimes(4, 0, 10 * MS, "saturated", M, M, M, M, M)); // refused
    ProbeStats s = ProbeStats.of(probes);
    assertThat(s.probes()).isEqualTo(4);
    assertThat(s.acked()).isEqualTo(3);
    assertThat(s.refused()).isEqualTo(1);
    assertThat(s.alertMissing()).isEqualTo(1);
    assertThat(s.missingAlertIds()).containsExactly(3);
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.eventBeforeAck()).isEqualTo(1);
    assertThat(s.ackToAlert().getTotalCount()).isEqualTo(2);
    assertThat(ProbeStats.ms(s.ackToAlert(), 100)).isCloseTo(200.0, within(0.5));
    assertThat(ProbeStats.ms(s.ackToEvent(), 0))
        .isCloseTo(0.0, within(0.5)); // seen 2 ms before the ack
    assertThat(ProbeStats.ms(s.ackToEvent(), 100)).isCloseTo(10.0, within(0.5));
    assertThat(ProbeStats.ms(s.eventToAlert(), 100)).isCloseTo(202.0, within(0.5));
    assertThat(ProbeStats.ms(s.ackToEmit(), 100)).isCloseTo(50.0, within(0.5));
    assertThat(ProbeStats.ms(s.emitToVisible(), 100)).isCloseTo(150.0, within(0.5));
    assertThat(ProbeStats.ms(s.sendToEvent(), 100)).isCloseTo(20.0, within(0.5));
    assertThat(ProbeStats.summary(s.sendToAlert())).containsEntry("count", 2L);
    assertThat(ProbeStats.ms(ProbeStats.of(List.of()).ackToAlert(), 99)).isNaN();
  }

  @Test
  void parsesOptions() {
    EndToEndHarness.Options o =
        EndToEndHarness.parse(
            new String[] {
              "--rate",
              "50,000",
              "--duration",
              "30",
              "--probe-interval",
              "20-40",
              "--engine-prop",
              "fetch.max.wait.ms=10",
              "--commit-interval",
              "20"
            });
    assertThat(o.rate()).isEqualTo(50_000);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.probeMin()).isEqualTo(Duration.ofMillis(20));
    assertThat(o.probeMax()).isEqualTo(Duration.ofMillis(40));
    assertThat(o.engineOverrides()).isEqualTo(Map.of("fetch.max.wait.ms", "10"));
    assertThat(EndToEndHarness.runnerSettings(o, "b:9092").commitInterval())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(EndToEndHarness.parse(new String[] {"--probe-interval", "75"}).probeMax())
        .isEqualTo(Duration.ofMillis(75));
    assertThat(EndToEndHarness.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> EndToEndHarness.parse(new String[] {"--probe-interval", "90-50"}))
        .hasMessageContaining("LO <= HI");
    assertThatThrownBy(() -> EndToEndHarness.parse(new String[] {"--rate", "0"}))
        .hasMessageContaining("--rate must be between 1");
    assertThatThrownBy(() -> EndToEndHarness.parse(new String[] {"--bogus"}))
        .hasMessageContaining("unknown option --bogus");
  }

  @Test
  void theProbeRuleFiresAtOnceAndItsAlertIsRecognised(@TempDir Path dir) throws Exception {
    Path shipped = dir.resolve("shipped");
    Files.createDirectories(shipped);
    Files.writeString(
        shipped.resolve("host.yml"),
        """
        - name: swap
          match: service = "swap"
          condition: metric > 1
          for: 5m
          alert: {severity: warning, summary: "x"}
        """);
    RuleSet set = EndToEndHarness.writeRules(shipped, dir.resolve("rules"));
    assertThat(set.rules()).extracting(r -> r.name()).containsExactlyInAnyOrder("swap", "probe");

    List<EngineRecord> out = new ArrayList<>();
    RuleEngine engine = new RuleEngine(set, 1_000_000, EngineSettings.DEFAULTS, out::add);
    RiemannProto.Msg msg = ProbeSender.message(12);
    Event probe = RiemannCodec.fromProto(msg.getEvents(0));
    assertThat(probe.timeMicros()).isNull(); // the gateway stamps it
    engine.process(2_000_000, probe.withDefaults(2_000_000, 60f));
    assertThat(out).hasSize(1);
    AlertRecord alert = (AlertRecord) out.get(0);
    assertThat(alert.status()).isEqualTo(AlertRecord.Status.FIRING);
    assertThat(EndToEndHarness.probeAlertId(RecordJson.toBytes(alert))).isEqualTo(12);
    assertThat(EndToEndHarness.probeAlertId("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
  }

  @Test
  void loadFramesCarryNoTimeSoThatTheGatewayStampsThem() throws Exception {
    List<byte[]> frames = PacedLoad.untimedFrames(100);
    assertThat(frames).hasSize(1000);
    byte[] frame = frames.get(3);
    assertThat(ByteBuffer.wrap(frame).getInt()).isEqualTo(frame.length - 4);
    RiemannProto.Msg msg = RiemannProto.Msg.parseFrom(Arrays.copyOfRange(frame, 4, frame.length));
    assertThat(msg.getEventsCount()).isEqualTo(100);
    Event e = RiemannCodec.fromProto(msg.getEvents(0));
    assertThat(e.host()).isEqualTo("node-0003.dc1.example.net");
    assertThat(e.timeMicros()).isNull();
    assertThat(e.ttl()).isEqualTo(60f);
  }

  @Test
  void countsTheGcPausesInsideAProbesInterval() {
    List<GcPauses.Pause> pauses =
        List.of(
            new GcPauses.Pause(0, 50, "G1 Young Generation", "x"), // 0-50 ms
            new GcPauses.Pause(100 * MS, 30, "G1 Young Generation", "x"), // 100-130 ms
            new GcPauses.Pause(500 * MS, 10, "G1 Young Generation", "x"));
    // 40-120 ms: 10 ms of the first, 20 ms of the second, none of the third.
    assertThat(EndToEndHarness.pausedNanos(40 * MS, 120 * MS, pauses)).isEqualTo(30 * MS);
    assertThat(EndToEndHarness.pausedNanos(200 * MS, 300 * MS, pauses)).isZero();

    List<ProbeTimes> probes =
        List.of(
            new ProbeTimes(1, 0, 40 * MS, null, 45 * MS, 42 * MS, 120 * MS, 100 * MS, M),
            new ProbeTimes(2, 0, 300 * MS, null, 301 * MS, 300 * MS, 320 * MS, 310 * MS, M));
    Map<String, Object> c = EndToEndHarness.correlate(probes, 0, pauses, List.of(110 * MS), 50);
    @SuppressWarnings("unchecked")
    Map<String, Object> tail = (Map<String, Object>) c.get("probesAtOrAboveP99");
    assertThat(tail).containsEntry("probes", 1L).containsEntry("meanGcPausedMs", 30.0);
    assertThat(tail).containsEntry("withSnapshotCommitInside", 1L);
    assertThat((List<?>) c.get("timeline")).hasSize(2);
  }

  @Test
  void groupsThreadsByWhatTheyDo() {
    assertThat(ThreadCpu.group("rules-engine")).isEqualTo("engine thread");
    assertThat(ThreadCpu.group("kafka-producer-network-thread | sixfinger-rules-sixfinger-rules"))
        .isEqualTo("engine Kafka clients");
    assertThat(ThreadCpu.group("kafka-producer-network-thread | sixfinger-ingest"))
        .isEqualTo("gateway Kafka producer");
    assertThat(ThreadCpu.group("multiThreadIoEventLoopGroup-3-1")).isEqualTo("gateway Netty");
    assertThat(ThreadCpu.group("data-plane-kafka-request-handler-0")).isEqualTo("broker and other");
  }
}
