package dev.sixfinger.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sixfinger.server.RiemannCli;
import dev.sixfinger.server.TestServer;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index in the real server with its embedded Kafka: events sent by Debian's riemann-client go
 * through the log into the index, and come back out over Riemann TCP queries, HTTP and server-sent
 * events. Each test uses hosts of its own, so that they do not see each other's.
 */
class IndexIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  static TestServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // A quick heartbeat, so that a stream's departed client is noticed quickly.
    server = TestServer.embedded(data, ConfigOverride.config("index.streamHeartbeat", "1 second"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String send(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("send"));
    all.addAll(List.of(args));
    return RiemannCli.ok(server.riemannPort(), all.toArray(new String[0]));
  }

  private static HttpResponse<String> get(String base, String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  /** The HTTP query's answer, as JSON. */
  private static JsonNode httpQuery(String query) throws Exception {
    HttpResponse<String> r = get(server.httpUrl(), "/api/v1/index?q=" + q(query));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<String> hosts(JsonNode events) {
    List<String> hosts = new ArrayList<>();
    events.forEach(e -> hosts.add(e.path("host").asText()));
    return hosts;
  }

  @Test
  void riemannClientQueriesTheIndexOverTcp() throws Exception {
    send("-h", "tcp-q-1", "-S", "swap/in-rate", "-s", "warning", "-d", "12.5", "-L", "300");
    send("-h", "tcp-q-2", "-S", "swap/out-rate", "-i", "3", "-L", "300");
    send("-h", "tcp-q-2", "-S", "cpu", "-d", "0.5", "-L", "300");
    int port = server.riemannPort();

    String wildcard = "service =~ \"swap%\" and host =~ \"tcp-q-%\"";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(RiemannCli.ok(port, "query", wildcard))
                    .contains("tcp-q-1")
                    .contains("tcp-q-2")
                    .doesNotContain("cpu"));

    String exact = "host = \"tcp-q-1\" and service = \"swap/in-rate\"";
    // riemann-client's own JSON: the protobuf's field names (metric_d, time_micros, ...).
    String json = RiemannCli.ok(port, "query", "-j", exact);
    JsonNode answer = JSON.readTree(json);
    assertThat(answer).as(json).hasSize(1);
    JsonNode e = answer.get(0);
    assertThat(e.path("host").asText()).isEqualTo("tcp-q-1");
    assertThat(e.path("service").asText()).isEqualTo("swap/in-rate");
    assertThat(e.path("state").asText()).isEqualTo("warning");
    assertThat(e.path("metric_d").asDouble()).isEqualTo(12.5);
    assertThat(e.path("ttl").asDouble()).isEqualTo(300.0);
    assertThat(e.path("attributes").path("x-client").asText()).isEqualTo("riemann-c-client");

    JsonNode byHost = JSON.readTree(RiemannCli.ok(port, "query", "-j", "host = \"tcp-q-2\""));
    assertThat(byHost)
        .extracting(n -> n.path("service").asText())
        .containsExactly("cpu", "swap/out-rate");
  }

  @Test
  void aBadQueryOverTcpIsAnErrorThatNamesTheColumn() throws Exception {
    RiemannCli.Result r = RiemannCli.run(server.riemannPort(), "query", "service = ");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("column 11");
  }

  @Test
  void httpQueryAnswersInRiemannJson() throws Exception {
    send(
        "-h",
        "http-q-1",
        "-S",
        "disk/used",
        "-d",
        "0.75",
        "-t",
        "prod",
        "-a",
        "rack=r7",
        "-L",
        "300");
    send("-h", "http-q-2", "-S", "disk/used", "-d", "0.25", "-L", "300");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(hosts(httpQuery("host =~ \"http-q-%\" and service = \"disk/used\"")))
                    .containsExactly("http-q-1", "http-q-2"));
    JsonNode one = httpQuery("host = \"http-q-1\" and metric > 0.5").get(0);
    assertThat(one.path("metric").asDouble()).isEqualTo(0.75);
    assertThat(one.path("tags").get(0).asText()).isEqualTo("prod");
    assertThat(one.path("rack").asText()).isEqualTo("r7");
    assertThat(one.path("time").asText()).as("ISO-8601").contains("T");
  }

  @Test
  void aLongAnswerIsCutAtTheLimitAndSaysSo() throws Exception {
    send("-h", "limit-1", "-S", "limit", "-d", "1", "-L", "300");
    send("-h", "limit-2", "-S", "limit", "-d", "2", "-L", "300");
    String limited = "/api/v1/index?q=" + q("service = \"limit\"");
    await().atMost(WAIT).until(() -> httpQuery("service = \"limit\"").size() == 2);
    int total = 2;
    HttpResponse<String> all = get(server.httpUrl(), limited);
    assertThat(all.headers().firstValue("X-Sixfinger-Total")).hasValue(Integer.toString(total));
    assertThat(all.headers().firstValue("X-Sixfinger-Truncated")).hasValue("false");

    HttpResponse<String> one = get(server.httpUrl(), limited + "&limit=1");
    assertThat(JSON.readTree(one.body()).size()).isEqualTo(1);
    assertThat(one.headers().firstValue("X-Sixfinger-Total")).hasValue(Integer.toString(total));
    assertThat(one.headers().firstValue("X-Sixfinger-Truncated")).hasValue("true");
  }

  @Test
  void aBadOrMissingHttpQueryIs400WithThePosition() throws Exception {
    HttpResponse<String> bad = get(server.httpUrl(), "/api/v1/index?q=" + q("host = \"a\" and"));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(bad.body());
    assertThat(body.path("error").asText()).contains("column 15");
    assertThat(body.path("position").asInt()).isEqualTo(14);

    HttpResponse<String> missing = get(server.httpUrl(), "/api/v1/index");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(missing.body()).path("error").asText()).contains("q is missing");

    HttpResponse<String> badLimit = get(server.httpUrl(), "/api/v1/index?q=true&limit=0");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badLimit.body()).path("error").asText())
        .contains("limit must be a whole number from 1 to 1000000");

    HttpResponse<String> badStream =
        get(server.httpUrl(), "/api/v1/index/stream?q=" + q("metric >"));
    assertThat(badStream.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badStream.body()).path("error").asText()).contains("column");
  }

  @Test
  void aStreamSendsTheEntriesThenEveryChange() throws Exception {
    send("-h", "sse-1", "-S", "load/1", "-d", "1.0", "-L", "300");
    await().atMost(WAIT).until(() -> httpQuery("host = \"sse-1\"").size() == 1);

    String query = "service = \"load/1\" and host =~ \"sse-%\"";
    try (SseClient stream =
        new SseClient(http, URI.create(server.httpUrl() + "/api/v1/index/stream?q=" + q(query)))) {
      assertThat(stream.status()).isEqualTo(200);
      SseClient.Event initial = stream.next(WAIT, e -> e.data().contains("\"sse-1\""));
      assertThat(initial.name()).isEqualTo("update");
      assertThat(JSON.readTree(initial.data()).path("metric").asDouble()).isEqualTo(1.0);

      send("-h", "sse-1", "-S", "load/1", "-d", "2.5", "-L", "300");
      SseClient.Event changed =
          stream.next(WAIT, e -> e.data().contains("\"sse-1\"") && e.data().contains("2.5"));
      assertThat(changed.name()).isEqualTo("update");

      send("-h", "sse-2", "-S", "load/1", "-d", "7", "-L", "1");
      stream.next(WAIT, e -> e.name().equals("update") && e.data().contains("\"sse-2\""));
      SseClient.Event expired =
          stream.next(WAIT, e -> e.name().equals("expire") && e.data().contains("\"sse-2\""));
      assertThat(JSON.readTree(expired.data()).path("state").asText()).isEqualTo("expired");

      send("-h", "other", "-S", "load/1", "-d", "1", "-L", "300");
      send("-h", "sse-3", "-S", "load/1", "-d", "1", "-L", "300");
      stream.next(WAIT, e -> e.data().contains("\"sse-3\""));
      assertThat(stream.events()).noneMatch(e -> e.data().contains("\"other\""));
    }
    // The server notices that the client has gone on its next heartbeat, at the latest.
    await().atMost(WAIT).until(() -> server.app().index().subscriptionCount() == 0);
  }

  @Test
  void anEventWithAShortTtlExpiresAndLeavesTheIndex() throws Exception {
    send("-h", "ttl-1", "-S", "heartbeat", "-L", "1");
    send("-h", "ttl-2", "-S", "heartbeat", "-L", "300");
    // It may expire before this sees it, so wait for the one that stays.
    await().atMost(WAIT).until(() -> httpQuery("host = \"ttl-2\"").size() == 1);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(hosts(httpQuery("service = \"heartbeat\""))).containsExactly("ttl-2");
              assertThat(RiemannCli.ok(server.riemannPort(), "query", "host = \"ttl-1\""))
                  .doesNotContain("ttl-1");
            });
    assertThat(server.app().index().expiredCount()).isPositive();
  }

  @Test
  void metricsAndHealthAreOnTheAdminPort() throws Exception {
    HttpResponse<String> metrics = get(server.adminUrl(), "/metrics");
    assertThat(metrics.body())
        .contains("sixfinger.index.size")
        .contains("sixfinger.index.expired")
        .contains("sixfinger.index.consumer.lag");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode health = JSON.readTree(get(server.adminUrl(), "/healthcheck").body());
              assertThat(health.path("index").path("healthy").asBoolean()).isTrue();
              assertThat(health.path("index").path("message").asText()).contains("caught up");
            });
  }

  @Test
  void aRestartedServerRebuildsTheIndexFromTheLog(@TempDir Path own) throws Exception {
    try (TestServer first = TestServer.embedded(own)) {
      RiemannCli.ok(
          first.riemannPort(), "send", "-h", "restart-1", "-S", "disk", "-d", "0.5", "-L", "300");
      await().atMost(WAIT).until(() -> first.app().index().lookup("restart-1", "disk").isPresent());
    }
    try (TestServer second =
        TestServer.embedded(own, ConfigOverride.config("index.replayWindow", "10 minutes"))) {
      await()
          .atMost(WAIT)
          .until(() -> second.app().index().lookup("restart-1", "disk").isPresent());
      assertThat(second.app().index().lookup("restart-1", "disk").orElseThrow().metric())
          .isEqualTo(0.5);
    }
  }
}
