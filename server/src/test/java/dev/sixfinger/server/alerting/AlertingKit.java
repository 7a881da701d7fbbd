package dev.sixfinger.server.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the alerting ITs share: a test alerting.yml, alert records into Kafka, the HTTP API. */
public final class AlertingKit {
  static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AlertingKit() {}

  /**
   * Everything pages {@code pager} (no url: the server's alerting.pagerDutyUrl applies), grouped by
   * alertname and team; fleet-swap inhibits swap-in-high of the same team.
   */
  public static Path config(Path dir, String groupWait, String groupInterval) throws IOException {
    Path f = dir.resolve("alerting.yml");
    Files.writeString(
        f,
        """
        external_url: http://console.test:8080
        receivers:
          - name: pager
            pagerduty:
              routing_key: %s
        route:
          receiver: pager
          group_by: [alertname, team]
          group_wait: %s
          group_interval: %s
          repeat_interval: 4h
        inhibit_rules:
          - source_matchers: [alertname="fleet-swap"]
            target_matchers: [alertname="swap-in-high"]
            equal: [team]
        flapping: {enabled: false}
        """
            .formatted(ROUTING_KEY, groupWait, groupInterval));
    return f;
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            1),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  static void send(KafkaProducer<byte[], byte[]> p, AlertRecord r) throws Exception {
    p.send(
            new ProducerRecord<>(
                Topics.ALERTS,
                r.fingerprint().getBytes(StandardCharsets.UTF_8),
                RecordJson.toBytes(r)))
        .get(30, TimeUnit.SECONDS);
  }

  static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  static Map<String, String> labels(String alertname, String team, String host) {
    return Alerts.labels(
        "alertname", alertname, "team", team, "host", host, "severity", "critical");
  }

  /** The accepted events of one action. */
  static List<PagerDutyTestServer.Accepted> events(PagerDutyTestServer pd, String action) {
    List<PagerDutyTestServer.Accepted> out = new ArrayList<>();
    for (PagerDutyTestServer.Accepted a : pd.accepted()) {
      if (a.action().equals(action)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Fingerprints listed firing in a trigger. */
  static List<String> firing(PagerDutyTestServer.Accepted a) {
    List<String> out = new ArrayList<>();
    a.event()
        .path("payload")
        .path("custom_details")
        .path("firing")
        .forEach(f -> out.add(f.path("fingerprint").asText()));
    return out;
  }

  record Reply(int status, JsonNode body) {}

  static Reply get(String url) throws Exception {
    return call(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Reply post(String url, String json) throws Exception {
    return call(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static Reply delete(String url) throws Exception {
    return call(HttpRequest.newBuilder(URI.create(url)).DELETE());
  }

  private static Reply call(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(r.body());
    return new Reply(r.statusCode(), body);
  }

  /** The alert of that fingerprint in GET /api/v1/alerts, or a missing node. */
  static JsonNode alert(JsonNode alerts, String fingerprint) {
    for (JsonNode a : alerts.path("alerts")) {
      if (a.path("fingerprint").asText().equals(fingerprint)) {
        return a;
      }
    }
    return MAPPER.missingNode();
  }
}
