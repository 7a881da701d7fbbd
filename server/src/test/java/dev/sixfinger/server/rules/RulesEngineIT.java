package dev.sixfinger.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules engine in the server, against a real broker: the shipped fleet swap rule over a
 * simulated fleet whose 20 minutes are written to the log beforehand (record time = event time),
 * then reloads through the file watcher and the API.
 */
class RulesEngineIT {
  private static final int HOSTS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @org.junit.jupiter.api.BeforeAll
  static void quiet() {
    dev.sixfinger.server.kafka.KafkaTestLogging.quiet();
  }

  @Test
  void theFleetSwapRuleFiresOnceAt25PercentNotAt15AndResolves() throws Exception {
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules);
    try (Stream<Path> shipped = Files.list(Path.of("../config/rules"))) {
      for (Path p : shipped.filter(p -> p.toString().endsWith(".yml")).toList()) {
        Files.copy(p, rules.resolve(p.getFileName()));
      }
    }
    EmbeddedKafka kafka = RulesTestKafka.start(RulesTestKafka.settings(dir));
    try {
      // 0-8 min: 3 of 20 hosts swap (15%); 8-16 min: 5 (25%); 16-24 min: none.
      long base = Instant.now().minus(Duration.ofMinutes(40)).toEpochMilli() / 1000 * 1000;
      writeFleet(kafka.bootstrapServers(), base);

      try (TestServer server =
              TestServer.external(
                  kafka.bootstrapServers(),
                  ConfigOverride.config("rules.dir", rules.toString()),
                  ConfigOverride.config("rules.startFrom", "earliest"),
                  ConfigOverride.config("rules.watchInterval", "300ms"));
          RuleOutputLog log = new RuleOutputLog(kafka.bootstrapServers())) {
        List<AlertRecord> alerts =
            log.awaitAlerts(
                a ->
                    a.stream()
                        .anyMatch(
                            r ->
                                r.rule().equals("fleet-swap")
                                    && r.status() == AlertRecord.Status.RESOLVED),
                Duration.ofSeconds(90));
        log.drain(Duration.ofSeconds(1));
        alerts = log.alerts();

        List<AlertRecord> fleet =
            alerts.stream().filter(a -> a.rule().equals("fleet-swap")).toList();
        assertThat(fleet)
            .extracting(AlertRecord::status, AlertRecord::timeMicros)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                    AlertRecord.Status.FIRING, (base + minutes(13)) * 1000),
                org.assertj.core.groups.Tuple.tuple(
                    AlertRecord.Status.RESOLVED, (base + minutes(16)) * 1000));
        assertThat(fleet.get(0).hosts()).containsExactly("h00", "h01", "h02", "h03", "h04");
        assertThat(fleet.get(0).labels()).containsEntry("severity", "critical");

        // Per-host alerts: the first three after 5 minutes, the next two at 13 minutes.
        List<AlertRecord> hostFirings =
            alerts.stream()
                .filter(a -> a.rule().equals("swap-in-high"))
                .filter(a -> a.status() == AlertRecord.Status.FIRING)
                .toList();
        assertThat(hostFirings)
            .extracting(a -> a.labels().get("host"))
            .containsExactlyInAnyOrder("h00", "h01", "h02", "h03", "h04");

        // Health: the five hosts drained at 13 minutes (and renewed while in force), cleared at 16.
        List<HealthRecord> health = log.health();
        assertThat(health)
            .filteredOn(h -> h.action().equals("drain"))
            .extracting(HealthRecord::host)
            .containsOnly("h00", "h01", "h02", "h03", "h04");
        assertThat(health)
            .filteredOn(h -> h.host().equals("h03"))
            .extracting(HealthRecord::timeMicros)
            .first()
            .isEqualTo((base + minutes(13)) * 1000);
        assertThat(health)
            .filteredOn(h -> h.action().equals(HealthRecord.NONE))
            .extracting(HealthRecord::host, HealthRecord::timeMicros)
            .allSatisfy(t -> assertThat(t.toList().get(1)).isEqualTo((base + minutes(16)) * 1000));

        // A backtest over the same log, with no live state touched, sees the same transitions.
        List<AlertRecord> backtest = new java.util.ArrayList<>();
        dev.sixfinger.rules.replay.Backtest.run(
            kafka.bootstrapServers(),
            Map.of(),
            dev.sixfinger.rules.config.RuleSet.load(rules),
            Instant.ofEpochMilli(base),
            Instant.ofEpochMilli(base + minutes(24)),
            dev.sixfinger.rules.engine.EngineSettings.DEFAULTS,
            r -> {
              if (r instanceof AlertRecord a && a.rule().equals("fleet-swap")) {
                backtest.add(a);
              }
            },
            n -> {});
        assertThat(backtest).containsExactlyElementsOf(fleet);

        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    get(http, server.httpUrl() + "/api/v1/rules").path("eventsProcessed").asLong()
                        == HOSTS * 24 * 6);
        JsonNode status = get(http, server.httpUrl() + "/api/v1/rules");
        assertThat(status.path("state").asText()).isEqualTo("running");

        assertThat(status.path("rules").findValuesAsText("name"))
            .contains("fleet-swap", "host-silent");
        for (JsonNode r : status.path("rules")) {
          assertThat(r.path("file").asText()).as("file of %s", r).endsWith(".yml");
          assertThat(r.path("line").asInt()).as("line of %s", r).isPositive();
        }

        // The watcher reloads a changed file; unchanged rules are kept.
        Path host = rules.resolve("host.yml");
        Files.writeString(
            host,
            Files.readString(host).replace("condition: metric > 0.95", "condition: metric > 0.9"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    get(http, server.httpUrl() + "/api/v1/rules")
                        .path("lastReload")
                        .path("changed")
                        .toString()
                        .equals("[\"memory-high\"]"));
        JsonNode reload = get(http, server.httpUrl() + "/api/v1/rules").path("lastReload");
        assertThat(reload.path("kept").toString()).contains("fleet-swap", "swap-in-high");

        // A broken file is refused with its location; the running rules stay.
        Files.writeString(rules.resolve("zz-broken.yml"), "- name: broken\n  match: service =\n");
        HttpResponse<String> refused =
            http.send(
                HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/v1/rules/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(refused.body()).path("errors").get(0);
        assertThat(error.path("file").asText()).endsWith("zz-broken.yml");
        assertThat(error.path("line").asInt()).isEqualTo(2);
        assertThat(get(http, server.httpUrl() + "/api/v1/rules").path("rules").size())
            .isEqualTo(status.path("rules").size());
      }
    } finally {
      kafka.close();
    }
  }

  private static long minutes(int m) {
    return m * 60_000L;
  }

  /** Every host every 10 s for 24 minutes, in time order, record time = event time. */
  private static void writeFleet(String bootstrap, long baseMillis) {
    try (KafkaProducer<byte[], byte[]> producer = RulesTestKafka.producer(bootstrap)) {
      for (long t = 0; t < minutes(24); t += 10_000) {
        int swapping = t < minutes(8) ? 3 : t < minutes(16) ? 5 : 0;
        for (int h = 0; h < HOSTS; h++) {
          String host = String.format("h%02d", h);
          Event e =
              Event.builder()
                  .host(host)
                  .service("swap/in-rate")
                  .metric(h < swapping ? 400.0 : 2.0)
                  .timeMicros((baseMillis + t) * 1000)
                  .ttl(60f)
                  .build();
          producer.send(
              new ProducerRecord<>(
                  Topics.EVENTS,
                  null,
                  baseMillis + t,
                  host.getBytes(StandardCharsets.UTF_8),
                  RiemannCodec.encode(e)));
        }
        producer.flush(); // one round at a time: few batches in flight
      }
    }
  }

  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
