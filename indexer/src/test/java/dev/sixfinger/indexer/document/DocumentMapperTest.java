package dev.sixfinger.indexer.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // 2026-11-24T10:00:00Z
  private static final long T = 1_795_514_400_000_000L;
  private final DocumentMapper mapper = new DocumentMapper(new IndexNames("sixfinger"));

  private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, byte[] value) {
    return new ConsumerRecord<>(
        topic,
        2,
        offset,
        T / 1000 + 5_000,
        TimestampType.CREATE_TIME,
        0,
        value == null ? 0 : value.length,
        "k".getBytes(StandardCharsets.UTF_8),
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private IndexDocument document(ConsumerRecord<byte[], byte[]> r) {
    Mapped m = mapper.map(r);
    assertThat(m).isInstanceOf(Mapped.Document.class);
    return ((Mapped.Document) m).document();
  }

  private static JsonNode source(IndexDocument d) throws IOException {
    return JSON.readTree(d.source());
  }

  @Test
  void anEventBecomesAnEcsDocumentInTheIndexOfItsOwnDay() throws IOException {
    Event e =
        Event.builder()
            .host("n1")
            .service("swap/in-rate")
            .state("warning")
            .description("swapping")
            .metric(12.5)
            .tags(List.of("swap", "linux"))
            .attributes(Map.of("rack", "r7", "agent.version", "1.2", "", "empty"))
            .timeMicros(T - 86_400_000_000L)
            .ttl(30f)
            .build();
    IndexDocument d = document(record(Topics.EVENTS, 41, RiemannCodec.encode(e)));
    assertThat(d.index()).isEqualTo("sixfinger-events-2026.11.23");
    assertThat(d.id()).isEqualTo("sixfinger.events-2-41");
    JsonNode s = source(d);
    assertThat(s.path("@timestamp").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(s.path("host").path("name").asText()).isEqualTo("n1");
    assertThat(s.path("service").path("name").asText()).isEqualTo("swap/in-rate");
    assertThat(s.path("event").path("state").asText()).isEqualTo("warning");
    assertThat(s.path("event").path("kind").asText()).isEqualTo("metric");
    assertThat(s.path("event").path("dataset").asText()).isEqualTo("sixfinger.events");
    assertThat(s.path("event").path("ttl").asDouble()).isEqualTo(30.0);
    assertThat(s.path("message").asText()).isEqualTo("swapping");
    assertThat(s.path("metric").asDouble()).isEqualTo(12.5);
    assertThat(s.path("tags")).extracting(JsonNode::asText).containsExactly("swap", "linux");
    assertThat(s.path("labels").path("rack").asText()).isEqualTo("r7");
    // Dots would make objects that conflict with flat labels; an empty name is refused.
    assertThat(s.path("labels").path("agent_version").asText()).isEqualTo("1.2");
    assertThat(s.path("labels").path("_").asText()).isEqualTo("empty");
  }

  @Test
  void anEventWithoutTimeTakesTheRecordTimeAndANanMetricIsLeftOut() throws IOException {
    Event e = Event.builder().host("n1").service("cpu").metric(Double.NaN).build();
    IndexDocument d = document(record(Topics.EVENTS, 1, RiemannCodec.encode(e)));
    JsonNode s = source(d);
    assertThat(s.path("@timestamp").asText()).isEqualTo("2026-11-24T10:00:05Z");
    assertThat(s.has("metric")).isFalse();
    Event integer = Event.builder().host("n1").service("procs").metric(42L).timeMicros(T).build();
    assertThat(
            source(document(record(Topics.EVENTS, 2, RiemannCodec.encode(integer))))
                .path("metric")
                .isIntegralNumber())
        .isTrue();
  }

  @Test
  void ticksAndTombstonesAreSkipped() {
    ConsumerRecord<byte[], byte[]> tick = record(Topics.EVENTS, 3, null);
    assertThat(mapper.map(tick)).isInstanceOf(Mapped.Skip.class);
    ConsumerRecord<byte[], byte[]> tickWithValue = record(Topics.EVENTS, 4, new byte[] {1});
    tickWithValue.headers().add(Topics.TICK_HEADER, new byte[0]);
    assertThat(mapper.map(tickWithValue)).isInstanceOf(Mapped.Skip.class);
    assertThat(mapper.map(record(Topics.HEALTH, 5, null))).isInstanceOf(Mapped.Skip.class);
  }

  @Test
  void anAlertKeepsItsFieldsWithEcsNamesForHostsAndRule() throws IOException {
    AlertRecord a =
        new AlertRecord(
            "fp",
            "fleet-swap",
            AlertRecord.Status.FIRING,
            "critical",
            Map.of("alertname", "fleet-swap", "severity", "critical", "a.b", "x"),
            "25% swapping",
            "n1 n2",
            T,
            null,
            T,
            List.of("n1", "n2"),
            List.of(Event.builder().host("n1").service("swap").metric(3.0).timeMicros(T).build()));
    IndexDocument d = document(record(Topics.ALERTS, 7, RecordJson.toBytes(a)));
    assertThat(d.index()).isEqualTo("sixfinger-alerts-2026.11.24");
    JsonNode s = source(d);
    assertThat(s.path("@timestamp").asText()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(s.path("rule").path("name").asText()).isEqualTo("fleet-swap");
    assertThat(s.path("host").path("name"))
        .extracting(JsonNode::asText)
        .containsExactly("n1", "n2");
    assertThat(s.has("hosts")).isFalse();
    assertThat(s.path("labels").path("a_b").asText()).isEqualTo("x");
    assertThat(s.path("message").asText()).isEqualTo("25% swapping");
    assertThat(s.path("status").asText()).isEqualTo("firing");
    assertThat(s.path("event").path("kind").asText()).isEqualTo("alert");
    assertThat(s.path("evidence")).hasSize(1);
  }

  @Test
  void aResolvedAlertCarriesItsTimeToResolveAsEventDuration() throws IOException {
    AlertRecord firing =
        new AlertRecord(
            "fp",
            "disk-full",
            AlertRecord.Status.FIRING,
            "error",
            Map.of(),
            "full",
            "",
            T,
            null,
            T,
            List.of("n1"),
            List.of());
    AlertRecord resolved =
        new AlertRecord(
            "fp",
            "disk-full",
            AlertRecord.Status.RESOLVED,
            "error",
            Map.of(),
            "full",
            "",
            T,
            T + 90_500_000L,
            T + 90_500_000L,
            List.of("n1"),
            List.of());
    JsonNode f = source(document(record(Topics.ALERTS, 1, RecordJson.toBytes(firing))));
    JsonNode r = source(document(record(Topics.ALERTS, 2, RecordJson.toBytes(resolved))));
    assertThat(f.path("event").has("duration")).isFalse();
    assertThat(r.path("event").path("duration").asLong()).isEqualTo(90_500_000_000L);
  }

  @Test
  void notificationsAndSilencesGetTheirOwnDailyIndices() throws IOException {
    byte[] sent =
        ("{\"v\":1,\"type\":\"notification\",\"groupKey\":\"{}:{alertname=\\\"a\\\"}\","
                + "\"receiver\":\"pager\",\"firing\":[\"fp\"],\"resolved\":[],"
                + "\"sentAt\":\"2026-11-24T10:00:05Z\",\"dedupKey\":\"d\",\"outcome\":\"sent\","
                + "\"attemptedAt\":\"2026-11-24T10:00:05Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    IndexDocument n = document(record(Topics.NOTIFICATIONS, 3, sent));
    assertThat(n.index()).isEqualTo("sixfinger-notifications-2026.11.24");
    JsonNode ns = source(n);
    assertThat(ns.path("receiver").asText()).isEqualTo("pager");
    assertThat(ns.path("outcome").asText()).isEqualTo("sent");
    assertThat(ns.path("event").path("dataset").asText()).isEqualTo(Topics.NOTIFICATIONS);
    byte[] silence =
        ("{\"v\":1,\"type\":\"silence\",\"id\":\"s1\",\"matchers\":[{\"name\":\"host\","
                + "\"op\":\"=\",\"value\":\"n1\"}],\"createdBy\":\"alice\",\"comment\":\"dimm\","
                + "\"startsAt\":\"2026-11-24T10:00:00Z\",\"endsAt\":\"2026-11-24T12:00:00Z\","
                + "\"updatedAt\":\"2026-11-24T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    IndexDocument s = document(record(Topics.SILENCES, 4, silence));
    assertThat(s.index()).isEqualTo("sixfinger-silences-2026.11.24");
    assertThat(source(s).path("matchers").get(0).path("value").asText()).isEqualTo("n1");
  }

  @Test
  void healthAndSchedulerRecordsMovePlainNamesUnderEcsObjects() throws IOException {
    HealthRecord h = new HealthRecord("n3", "cordon", T, T + 1, List.of());
    JsonNode health = source(document(record(Topics.HEALTH, 8, RecordJson.toBytes(h))));
    assertThat(health.path("host").path("name").asText()).isEqualTo("n3");
    assertThat(health.path("action").asText()).isEqualTo("cordon");
    assertThat(health.path("event").path("kind").asText()).isEqualTo("state");
    byte[] job =
        "{\"v\":1,\"type\":\"submitted\",\"user\":\"alice\",\"host\":\"n4\",\"cpus\":2}"
            .getBytes(StandardCharsets.UTF_8);
    IndexDocument d = document(record(Topics.SCHEDULER, 9, job));
    // No time field: the record's own timestamp decides the day.
    assertThat(d.index()).isEqualTo("sixfinger-scheduler-2026.11.24");
    JsonNode s = source(d);
    assertThat(s.path("user").path("name").asText()).isEqualTo("alice");
    assertThat(s.path("host").path("name").asText()).isEqualTo("n4");
    assertThat(s.path("cpus").asInt()).isEqualTo(2);
  }

  @Test
  void unreadableRecordsSayWhatTheyAre() {
    Mapped garbage = mapper.map(record(Topics.EVENTS, 1, new byte[] {(byte) 0xff, 1, 2}));
    assertThat(garbage).isInstanceOf(Mapped.Unreadable.class);
    assertThat(((Mapped.Unreadable) garbage).reason()).startsWith("cannot read events record");
    Mapped notObject =
        mapper.map(record(Topics.ALERTS, 1, "[1,2]".getBytes(StandardCharsets.UTF_8)));
    assertThat(((Mapped.Unreadable) notObject).reason()).contains("JSON object");
    Mapped badTime =
        mapper.map(
            record(Topics.HEALTH, 1, "{\"time\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(((Mapped.Unreadable) badTime).reason()).contains("yesterday");
    Mapped otherTopic = mapper.map(record("elsewhere", 1, new byte[] {1}));
    assertThat(((Mapped.Unreadable) otherTopic).reason()).contains("elsewhere");
  }

  @Property(tries = 500)
  void anyBytesOnAnyTopicGiveADocumentASkipOrAReason(
      @ForAll byte[] bytes, @ForAll("topics") String topic) {
    Mapped m = mapper.map(record(topic, 1, bytes));
    if (m instanceof Mapped.Unreadable u) {
      assertThat(u.reason()).isNotBlank();
    } else {
      assertThat(m).isInstanceOf(Mapped.Document.class);
    }
  }

  @Property(tries = 300)
  void anyJsonTextOnARecordTopicGivesADocumentOrAReason(
      @ForAll
          @StringLength(max = 60)
          @Chars({'{', '}', '"', ':', ',', 't', 'i', 'm', 'e', '1', 'h', 'o', 's', '[', ']', ' '})
          String text) {
    Mapped m = mapper.map(record(Topics.SCHEDULER, 1, text.getBytes(StandardCharsets.UTF_8)));
    assertThat(m).isInstanceOfAny(Mapped.Document.class, Mapped.Unreadable.class);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> topics() {
    return net.jqwik.api.Arbitraries.of(
        Topics.EVENTS,
        Topics.ALERTS,
        Topics.HEALTH,
        Topics.SCHEDULER,
        Topics.NOTIFICATIONS,
        Topics.SILENCES);
  }

  @Property(tries = 200)
  void everyEventRoundTripsIntoValidJson(@ForAll @From("events") Event e) throws IOException {
    IndexDocument d = document(record(Topics.EVENTS, 1, RiemannCodec.encode(e)));
    JsonNode s = source(d);
    assertThat(s.path("host").path("name").asText()).isEqualTo(e.host());
    assertThat(d.index()).startsWith("sixfinger-events-");
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Event> events() {
    var text = net.jqwik.api.Arbitraries.strings().ofMaxLength(20);
    return net.jqwik.api.Combinators.combine(
            text,
            text,
            net.jqwik.api.Arbitraries.doubles(),
            net.jqwik.api.Arbitraries.maps(text, text).ofMaxSize(5),
            net.jqwik.api.Arbitraries.longs().between(0, 4_000_000_000_000_000L))
        .as(
            (h, s, m, attrs, t) ->
                Event.builder()
                    .host(h)
                    .service(s)
                    .metric(m)
                    .attributes(attrs)
                    .timeMicros(t)
                    .build());
  }
}
