package dev.sixfinger.server.alerting;

import static dev.sixfinger.server.alerting.AlertingKit.alert;
import static dev.sixfinger.server.alerting.AlertingKit.events;
import static dev.sixfinger.server.alerting.AlertingKit.firing;
import static dev.sixfinger.server.alerting.AlertingKit.labels;
import static dev.sixfinger.server.alerting.AlertingKit.nowMicros;
import static dev.sixfinger.server.alerting.AlertingKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.kafka.KafkaTestLogging;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's alerting against a real embedded Kafka and the PagerDuty test server: alert records
 * written to sixfinger.alerts as the rules engine writes them, pages checked as PagerDuty sees
 * them.
 */
class AlertingIT {
  @TempDir Path dir;
  private PagerDutyTestServer pd;
  private TestServer server;

  @BeforeAll
  static void quiet() {
    KafkaTestLogging.quiet();
  }

  @BeforeEach
  void startPagerDuty() throws Exception {
    pd = PagerDutyTestServer.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    pd.close();
  }

  private TestServer start(Path config) throws Exception {
    return TestServer.embedded(
        dir,
        ConfigOverride.config("rules.enabled", "false"),
        ConfigOverride.config("alerting.enabled", "true"),
        ConfigOverride.config("alerting.configFile", config.toString()),
        ConfigOverride.config("alerting.tickInterval", "100 milliseconds"),
        ConfigOverride.config("alerting.pagerDutyUrl", pd.baseUrl().toString()));
  }

  private void awaitLeading(TestServer s) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> s.app().alerting().state() == AlertingService.State.LEADING);
  }

  @Test
  void pagesOnceAfterGroupWaitAndTheResolveClosesTheIncident() throws Exception {
    server = start(AlertingKit.config(dir, "2s", "1s"));
    awaitLeading(server);
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      long t0 = nowMicros();
      Map<String, String> n1 = labels("disk-full", "platform", "n1");
      Map<String, String> n2 = labels("disk-full", "platform", "n2");
      long written = System.nanoTime();
      send(p, Alerts.firing(n1, t0, t0));
      send(p, Alerts.firing(n2, t0, t0 + 1));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 1);
      long paged = System.nanoTime();
      assertThat(Duration.ofNanos(paged - written)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      PagerDutyTestServer.Accepted trigger = events(pd, "trigger").get(0);
      assertThat(firing(trigger))
          .containsExactlyInAnyOrder(Alerts.fingerprint(n1), Alerts.fingerprint(n2));
      assertThat(trigger.event().path("payload").path("summary").asText())
          .startsWith("[FIRING:2] disk-full");
      assertThat(trigger.event().path("links").get(0).path("href").asText())
          .startsWith("http://console.test:8080");

      // The same records again (a rules engine replay) change nothing.
      send(p, Alerts.firing(n1, t0, t0));
      long t1 = nowMicros();
      send(p, Alerts.resolved(n1, t0, t1));
      send(p, Alerts.resolved(n2, t0, t1));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "resolve").size() == 1);
      Thread.sleep(2_500); // two more flushes: nothing else may be sent
      assertThat(pd.accepted())
          .extracting(PagerDutyTestServer.Accepted::action)
          .containsExactly("trigger", "resolve");
      assertThat(pd.openIncidents()).isEmpty();
      assertThat(pd.duplicates()).isZero();

      String fp = Alerts.fingerprint(n1);
      JsonNode history =
          AlertingKit.get(server.httpUrl() + "/api/v1/alerts/" + fp + "/history").body();
      assertThat(history.path("history").findValuesAsText("kind"))
          .containsSubsequence("transition", "notified-firing", "transition", "notified-resolved");
      assertThat(server.app().alerting().sentCount()).isEqualTo(2);
    }
  }

  @Test
  void aSilenceMutesANewAlertAndAPagedAlertStillGetsItsResolve() throws Exception {
    server = start(AlertingKit.config(dir, "1s", "1s"));
    awaitLeading(server);
    String api = server.httpUrl() + "/api/v1";
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      // Bad input: 400 naming each bad field.
      AlertingKit.Reply bad =
          AlertingKit.post(
              api + "/silences", "{\"matchers\":[\"host=~\\\"(\\\"\"],\"endsAt\":\"tomorrow\"}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body().path("errors").findValuesAsText("field"))
          .contains("matchers[0]", "author", "comment", "endsAt");

      long t0 = nowMicros();
      Map<String, String> paged = labels("check-failing", "platform", "n4");
      send(p, Alerts.firing(paged, t0, t0));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 1);

      String endsAt = java.time.Instant.now().plusSeconds(3600).toString();
      AlertingKit.Reply created =
          AlertingKit.post(
              api + "/silences",
              """
              {"matchers": ["host=~\\"n3|n4\\""], "author": "alice", "comment": "maintenance",
               "endsAt": "%s"}
              """
                  .formatted(endsAt));
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      String silenceId = created.body().path("id").asText();
      assertThat(created.body().path("state").asText()).isEqualTo("active");

      Map<String, String> muted = labels("disk-full", "platform", "n3");
      long t1 = nowMicros();
      send(p, Alerts.firing(muted, t1, t1));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  alert(AlertingKit.get(api + "/alerts").body(), Alerts.fingerprint(muted))
                      .path("silencedBy")
                      .toString()
                      .contains(silenceId));
      Thread.sleep(2_500); // past group_wait and a flush
      assertThat(events(pd, "trigger")).hasSize(1);
      JsonNode view = alert(AlertingKit.get(api + "/alerts").body(), Alerts.fingerprint(muted));
      assertThat(view.path("state").asText()).isEqualTo("silenced");
      assertThat(view.path("receivers")).isEmpty();

      // The paged alert, now silenced, resolves: PagerDuty gets the resolve.
      long t2 = nowMicros();
      send(p, Alerts.resolved(paged, t0, t2));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "resolve").size() == 1);
      assertThat(pd.openIncidents()).isEmpty();

      // Expiring the silence: the muted alert now pages.
      assertThat(AlertingKit.delete(api + "/silences/" + silenceId).status()).isEqualTo(200);
      assertThat(AlertingKit.delete(api + "/silences/" + silenceId).status()).isEqualTo(409);
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 2);
      assertThat(firing(events(pd, "trigger").get(1))).containsExactly(Alerts.fingerprint(muted));
      JsonNode silences = AlertingKit.get(api + "/silences").body();
      assertThat(silences.get(0).path("state").asText()).isEqualTo("expired");
      assertThat(silences.get(0).path("author").asText()).isEqualTo("alice");
      assertThat(pd.duplicates()).isZero();
    }
  }

  @Test
  void fleetSwapInhibitsThePerHostSwapAlertsOfItsTeam() throws Exception {
    server = start(AlertingKit.config(dir, "1s", "1s"));
    awaitLeading(server);
    String api = server.httpUrl() + "/api/v1";
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      long t0 = nowMicros();
      Map<String, String> fleet =
          Alerts.labels("alertname", "fleet-swap", "team", "platform", "severity", "critical");
      send(p, Alerts.firing(fleet, t0, t0));
      Map<String, String> host = labels("swap-in-high", "platform", "n7");
      Map<String, String> otherTeam = labels("swap-in-high", "storage", "s1");
      send(p, Alerts.firing(host, t0, t0));
      send(p, Alerts.firing(otherTeam, t0, t0));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 2);
      Thread.sleep(2_500);
      List<List<String>> paged = events(pd, "trigger").stream().map(AlertingKit::firing).toList();
      assertThat(paged)
          .containsExactlyInAnyOrder(
              List.of(Alerts.fingerprint(fleet)), List.of(Alerts.fingerprint(otherTeam)));
      JsonNode view = alert(AlertingKit.get(api + "/alerts").body(), Alerts.fingerprint(host));
      assertThat(view.path("state").asText()).isEqualTo("inhibited");
      assertThat(view.path("inhibitedBy").asText()).isEqualTo(Alerts.fingerprint(fleet));
    }
  }

  @Test
  void aRestartNeitherRepagesNorForgetsASilenceAndSendsTheResolveThatBecameDue() throws Exception {
    Path config = AlertingKit.config(dir, "1s", "4s");
    server = start(config);
    awaitLeading(server);
    String api = server.httpUrl() + "/api/v1";
    Map<String, String> a = labels("disk-full", "platform", "n1");
    long t0 = nowMicros();
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      send(p, Alerts.firing(a, t0, t0));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 1);
      String endsAt = java.time.Instant.now().plusSeconds(3600).toString();
      AlertingKit.Reply created =
          AlertingKit.post(
              api + "/silences",
              "{\"matchers\":[\"host=\\\"n9\\\"\"],\"author\":\"bob\",\"comment\":\"rebuild\","
                  + "\"endsAt\":\""
                  + endsAt
                  + "\"}");
      assertThat(created.status()).isEqualTo(201);
      // The resolve arrives; the next flush is up to 4 s away, and the server stops before it.
      send(p, Alerts.resolved(a, t0, nowMicros()));
    }
    server.close();
    server = null;
    assertThat(events(pd, "resolve")).isEmpty();

    server = start(config);
    awaitLeading(server);
    await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "resolve").size() == 1);
    assertThat(pd.accepted())
        .extracting(PagerDutyTestServer.Accepted::action)
        .containsExactly("trigger", "resolve");
    assertThat(pd.openIncidents()).isEmpty();
    api = server.httpUrl() + "/api/v1";
    JsonNode silences = AlertingKit.get(api + "/silences").body();
    assertThat(silences).hasSize(1);
    assertThat(silences.get(0).path("author").asText()).isEqualTo("bob");
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      long t1 = nowMicros();
      send(p, Alerts.firing(labels("disk-full", "platform", "n9"), t1, t1));
      Thread.sleep(3_000); // past group_wait
    }
    assertThat(pd.accepted()).hasSize(2);
    assertThat(pd.duplicates()).isZero();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedButA400IsShownAndNotRetried() throws Exception {
    server = start(AlertingKit.config(dir, "1s", "30s"));
    awaitLeading(server);
    String api = server.httpUrl() + "/api/v1";
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      pd.failNext(2, 429, 1);
      pd.failNext(1, 503);
      long t0 = nowMicros();
      Map<String, String> a = labels("disk-full", "platform", "n1");
      send(p, Alerts.firing(a, t0, t0));
      await().atMost(Duration.ofSeconds(30)).until(() -> events(pd, "trigger").size() == 1);
      assertThat(pd.requests()).isEqualTo(4);

      pd.failNext(1, 400);
      Map<String, String> b = labels("host-silent", "platform", "n2");
      send(p, Alerts.firing(b, t0, nowMicros()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> AlertingKit.get(api + "/alerts").body().path("receiverErrors").size() == 1);
      JsonNode err = AlertingKit.get(api + "/alerts").body().path("receiverErrors").get(0);
      assertThat(err.path("error").asText())
          .contains("PagerDuty answered 400 after 1 attempt(s)")
          .contains("internal error");
      assertThat(err.path("final").asBoolean()).isTrue();
      AlertingKit.Reply health = AlertingKit.get(server.adminUrl() + "/healthcheck");
      assertThat(health.status()).isEqualTo(500);
      assertThat(health.body().path("alerting").path("healthy").asBoolean()).isFalse();
      assertThat(health.body().path("alerting").path("message").asText())
          .contains("PagerDuty answered 400");
      Thread.sleep(2_000);
      assertThat(pd.requests()).isEqualTo(5); // the 400 was not retried
      assertThat(server.app().alerting().failedCount()).isEqualTo(1);
    }
  }

  @Test
  void anAcknowledgementReachesPagerDutyAndTheHistory() throws Exception {
    server = start(AlertingKit.config(dir, "1s", "1s"));
    awaitLeading(server);
    String api = server.httpUrl() + "/api/v1";
    try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(server.bootstrapServers())) {
      long t0 = nowMicros();
      Map<String, String> a = labels("disk-full", "platform", "n1");
      String fp = Alerts.fingerprint(a);
      assertThat(AlertingKit.post(api + "/alerts/nope/ack", "{}").status()).isEqualTo(404);
      send(p, Alerts.firing(a, t0, t0));
      await().atMost(Duration.ofSeconds(20)).until(() -> events(pd, "trigger").size() == 1);
      AlertingKit.Reply ack =
          AlertingKit.post(api + "/alerts/" + fp + "/ack", "{\"by\":\"carol\"}");
      assertThat(ack.status()).as(ack.body().toString()).isEqualTo(200);
      assertThat(pd.openIncidents()).containsValue("acknowledged");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  AlertingKit.get(api + "/alerts/" + fp + "/history")
                      .body()
                      .path("history")
                      .findValuesAsText("kind")
                      .contains("acknowledged"));
      JsonNode h = AlertingKit.get(api + "/alerts/" + fp + "/history").body();
      assertThat(h.toString()).contains("carol");
      send(p, Alerts.resolved(a, t0, nowMicros()));
      await().atMost(Duration.ofSeconds(20)).until(() -> pd.openIncidents().isEmpty());
      assertThat(AlertingKit.post(api + "/alerts/" + fp + "/ack", "{}").status()).isEqualTo(409);
    }
  }
}
