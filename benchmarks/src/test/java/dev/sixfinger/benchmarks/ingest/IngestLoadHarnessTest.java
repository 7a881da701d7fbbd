package dev.sixfinger.benchmarks.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.riemann.RiemannProto;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestLoadHarnessTest {

  @Test
  void parsesTheSteadyStateSummaryOfProducerPerformance() {
    String line =
        "2000000 steady state records sent, 230760.355371 records/sec (28.39 MB/sec), 105.73 ms"
            + " avg latency, 704.00 ms max latency, 66 ms 50th, 311 ms 95th, 512 ms 99th, 616 ms"
            + " 99.9th.";
    ProducerPerfBaseline.Result r = ProducerPerfBaseline.parse(line);
    assertThat(r.records()).isEqualTo(2_000_000);
    assertThat(r.recordsPerSecond()).isEqualTo(230760.355371);
    assertThat(r.avgLatencyMs()).isEqualTo(105.73);
    assertThat(r.p50Ms()).isEqualTo(66);
    assertThat(r.p99Ms()).isEqualTo(512);
    assertThat(r.p999Ms()).isEqualTo(616);
    assertThat(r.rawLine()).isEqualTo(line);
  }

  @Test
  void ignoresProgressLines() {
    assertThat(
            ProducerPerfBaseline.parse(
                "754599 records sent, 150799.2 records/sec (18.55 MB/sec), 58.3 ms avg latency,"
                    + " 316.0 ms max latency."))
        .isNull();
    assertThat(ProducerPerfBaseline.parse("In steady state.")).isNull();
  }

  @Test
  void givesTheBaselineTheGatewaysProducerSettings() {
    List<String> cmd =
        ProducerPerfBaseline.command(
            "sixfinger.events", 1000, 100, 129, null, Map.of("acks", "all", "linger.ms", 5));
    assertThat(String.join(" ", cmd))
        .contains("org.apache.kafka.tools.ProducerPerformance --topic sixfinger.events")
        .contains("--num-records 1100 --warmup-records 100 --record-size 129 --throughput -1")
        .endsWith("--command-property acks=all linger.ms=5");
  }

  @Test
  void framesAreLengthPrefixedRiemannMessages() throws Exception {
    byte[] frame = SampleEvents.frames(100).get(7);
    int length = ByteBuffer.wrap(frame).getInt();
    assertThat(length).isEqualTo(frame.length - 4);
    RiemannProto.Msg msg = RiemannProto.Msg.parseFrom(Arrays.copyOfRange(frame, 4, frame.length));
    assertThat(msg.getEventsCount()).isEqualTo(100);
    var first = RiemannCodec.fromProto(msg.getEvents(0));
    assertThat(first.host()).isEqualTo("node-0007.dc1.example.net");
    assertThat(first.tags()).hasSize(2);
    assertThat(first.attributes()).hasSize(2);
  }

  @Test
  void textPayloadsHaveExactlyTheRecordSize() {
    assertThat(SampleEvents.textPayloads(10, 129))
        .hasSize(1000)
        .allSatisfy(line -> assertThat(line).hasSize(129).doesNotContain("\n"));
  }

  @Test
  void rejectsBadOptionsWithTheReason() {
    assertThatThrownBy(() -> IngestLoadHarness.parse(new String[] {"--events", "10"}))
        .hasMessageContaining("--events (10) must be at least");
    assertThatThrownBy(() -> IngestLoadHarness.parse(new String[] {"--window", "0"}))
        .hasMessageContaining("--window must be between 1");
    assertThatThrownBy(() -> IngestLoadHarness.parse(new String[] {"--frobnicate"}))
        .hasMessageContaining("unknown option --frobnicate");
    assertThat(IngestLoadHarness.parse(new String[] {"--help"})).isNull();
    assertThat(IngestLoadHarness.parse(new String[] {"--connections", "8"}).connections())
        .isEqualTo(8);
  }
}
