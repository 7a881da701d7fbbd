package dev.sixfinger.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Output records and snapshots round-trip, and any bytes give either a record or a clear error. */
class RecordJsonPropertiesTest {

  @Provide
  Arbitrary<AlertRecord> alerts() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20);
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), text)
            .ofMaxSize(4);
    Arbitrary<Long> micros = Arbitraries.longs().between(0, 4_000_000_000_000_000L);
    Arbitrary<Event> event =
        Combinators.combine(text, text, Arbitraries.doubles(), micros)
            .as((h, s, m, t) -> Event.builder().host(h).service(s).metric(m).timeMicros(t).build());
    return Combinators.combine(
            Arbitraries.strings().numeric().ofLength(16),
            Arbitraries.of(AlertRecord.Status.values()),
            labels,
            text,
            micros,
            micros.injectNull(0.5),
            text.list().ofMaxSize(3),
            event.list().ofMaxSize(3))
        .as(
            (fp, status, l, summary, start, end, hosts, evidence) ->
                new AlertRecord(
                    fp, "rule", status, "warning", l, summary, null, start, end, start, hosts,
                    evidence));
  }

  @Property(tries = 300)
  void alertsRoundTrip(@ForAll("alerts") AlertRecord alert) {
    assertThat(RecordJson.parse(RecordJson.toBytes(alert))).isEqualTo(alert);
  }

  @Property(tries = 500)
  void anyBytesGiveARecordOrAClearError(@ForAll byte[] bytes) {
    try {
      assertThat(RecordJson.parse(bytes)).isNotNull();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 500)
  void anyJsonObjectGivesARecordOrAClearError(
      @ForAll("fields") List<String> fields, @ForAll("values") List<String> values) {
    StringBuilder json = new StringBuilder("{\"v\":1");
    for (int i = 0; i < Math.min(fields.size(), values.size()); i++) {
      json.append(",\"").append(fields.get(i)).append("\":").append(values.get(i));
    }
    json.append('}');
    try {
      RecordJson.parse(json.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<List<String>> fields() {
    return Arbitraries.of(
            "type",
            "fingerprint",
            "rule",
            "status",
            "labels",
            "startsAt",
            "endsAt",
            "time",
            "hosts",
            "evidence",
            "host",
            "action",
            "expiresAt",
            "decisions")
        .list()
        .ofMaxSize(14);
  }

  @Provide
  Arbitrary<List<String>> values() {
    return Arbitraries.of(
            "\"alert\"",
            "\"health\"",
            "\"firing\"",
            "\"x\"",
            "1",
            "null",
            "[]",
            "{}",
            "\"2026-01-01T00:00:00Z\"",
            "[{\"host\":1}]",
            "[{\"rule\":\"r\"}]",
            "{\"a\":\"b\"}")
        .list()
        .ofMaxSize(14);
  }

  @Property(tries = 300)
  void anyGzippedTextGivesASnapshotOrAClearError(@ForAll String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    try {
      SnapshotCodec.decode(bytes.toByteArray());
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 100)
  void snapshotTreesRoundTrip(@ForAll("alerts") AlertRecord alert) {
    Map<String, Object> tree =
        Map.of(
            "labels", Map.copyOf(alert.labels()),
            "evidence", List.copyOf(alert.evidence()),
            "n", alert.startsAtMicros(),
            "d", Double.NaN);
    Object back = SnapshotCodec.decode(SnapshotCodec.encode(tree));
    assertThat(back)
        .isEqualTo(
            Map.of(
                "labels",
                alert.labels(),
                "evidence",
                alert.evidence(),
                "n",
                alert.startsAtMicros(),
                "d",
                Double.NaN));
  }

  @Property(tries = 50)
  void snapshotsRefuseWhatTheyCannotHold(@ForAll int i) {
    assertThatThrownBy(() -> SnapshotCodec.encode(Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> SnapshotCodec.encode(Map.of(i, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keys must be strings");
  }
}
