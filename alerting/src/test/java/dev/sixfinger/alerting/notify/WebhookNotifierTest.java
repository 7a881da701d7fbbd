package dev.sixfinger.alerting.notify;

import static dev.sixfinger.alerting.notify.Notifications.alert;
import static dev.sixfinger.alerting.notify.Notifications.of;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sixfinger.alerting.config.Receiver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  private HttpServer server;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private final FakeTime time = new FakeTime();
  private URI url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (failFirst.getAndDecrement() > 0) {
              ex.sendResponseHeaders(502, -1);
              return;
            }
            received.add(new ObjectMapper().readTree(body));
            ex.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void postsAlertmanagerWebhookVersion4() {
    Receiver.Webhook r = new Receiver.Webhook("chat", url, 0);
    var firing = alert("n1", "warning", true, List.of());
    var resolved = alert("n2", "warning", false, List.of());
    NotifyResult result =
        new WebhookNotifier(FakeTime.sender(time, 3, 100, 6000))
            .notify(of(r, List.of(firing), List.of(resolved), Set.of()));
    assertThat(result.delivered()).isTrue();
    JsonNode m = received.get(0);
    assertThat(m.get("version").asText()).isEqualTo("4");
    assertThat(m.get("receiver").asText()).isEqualTo("chat");
    assertThat(m.get("status").asText()).isEqualTo("firing");
    assertThat(m.get("groupKey").asText()).isEqualTo("{}:{alertname=\"disk-full\"}");
    assertThat(m.get("externalURL").asText()).isEqualTo("http://sixfinger.example:8080");
    assertThat(m.get("truncatedAlerts").asInt()).isZero();
    assertThat(m.at("/groupLabels/alertname").asText()).isEqualTo("disk-full");
    assertThat(m.get("commonLabels").toString())
        .isEqualTo("{\"alertname\":\"disk-full\",\"severity\":\"warning\"}");
    assertThat(m.at("/commonAnnotations/description").asText())
        .isEqualTo("description of disk-full");
    JsonNode a0 = m.at("/alerts/0");
    assertThat(a0.get("status").asText()).isEqualTo("firing");
    assertThat(a0.at("/labels/host").asText()).isEqualTo("n1");
    assertThat(a0.at("/annotations/summary").asText()).isEqualTo("disk-full on n1");
    assertThat(a0.get("startsAt").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(a0.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(a0.get("fingerprint").asText()).isEqualTo(firing.fingerprint());
    assertThat(a0.get("generatorURL").asText())
        .isEqualTo("http://sixfinger.example:8080/alerts?fingerprint=" + firing.fingerprint());
    JsonNode a1 = m.at("/alerts/1");
    assertThat(a1.get("status").asText()).isEqualTo("resolved");
    assertThat(a1.get("endsAt").asText()).isEqualTo("2023-11-14T22:14:20Z");
  }

  @Test
  void maxAlertsTruncatesAndCounts() {
    Receiver.Webhook r = new Receiver.Webhook("chat", url, 2);
    var alerts =
        List.of(
            alert("n1", "warning", true, List.of()),
            alert("n2", "warning", true, List.of()),
            alert("n3", "warning", true, List.of()));
    new WebhookNotifier(FakeTime.sender(time, 3, 100, 6000))
        .notify(of(r, alerts, List.of(), Set.of()));
    assertThat(received.get(0).get("alerts")).hasSize(2);
    assertThat(received.get(0).get("truncatedAlerts").asInt()).isEqualTo(1);
  }

  @Test
  void resolvedGroupAndRetryOn5xx() {
    failFirst.set(2);
    Receiver.Webhook r = new Receiver.Webhook("chat", url, 0);
    NotifyResult result =
        new WebhookNotifier(FakeTime.sender(time, 3, 100, 6000))
            .notify(of(r, List.of(), List.of(alert("n1", "warning", false, List.of())), Set.of()));
    assertThat(result.delivered()).isTrue();
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(received.get(0).get("status").asText()).isEqualTo("resolved");
  }

  @Test
  void aClientErrorIsFinal() {
    Receiver.Webhook r = new Receiver.Webhook("chat", url.resolve("/nowhere"), 0);
    NotifyResult result =
        new WebhookNotifier(FakeTime.sender(time, 3, 100, 6000))
            .notify(of(r, List.of(alert("n1", "warning", true, List.of())), List.of(), Set.of()));
    assertThat(result.delivered()).isFalse();
    assertThat(result.status()).isEqualTo(404);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.detail()).startsWith("webhook answered 404");
  }
}
