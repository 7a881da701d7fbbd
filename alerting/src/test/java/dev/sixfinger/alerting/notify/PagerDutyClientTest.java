package dev.sixfinger.alerting.notify;

import static dev.sixfinger.alerting.notify.Notifications.alert;
import static dev.sixfinger.alerting.notify.Notifications.of;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.alerting.testing.Configs;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.core.event.Event;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagerDutyClientTest {
  private PagerDutyTestServer pd;
  private final FakeTime time = new FakeTime();
  private PagerDutyClient client;
  private Receiver.PagerDuty receiver;

  @BeforeEach
  void start() throws Exception {
    pd = PagerDutyTestServer.start();
    client = new PagerDutyClient(FakeTime.sender(time, 5, 100, 6000));
    receiver = new Receiver.PagerDuty("pager", Configs.ROUTING_KEY, pd.baseUrl());
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void triggerAcknowledgeResolveOneIncidentPerGroup() {
    Alert a = alert("n1", "error", true, List.of());
    Alert b = alert("n2", "critical", true, List.of());
    Notification n = of(receiver, List.of(a, b), List.of(), Set.of());
    NotifyResult r = client.notify(n);
    assertThat(r.delivered()).isTrue();
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(pd.openIncidents()).containsEntry(n.dedupKey(), "triggered").hasSize(1);

    JsonNode e = pd.accepted().get(0).event();
    assertThat(e.get("event_action").asText()).isEqualTo("trigger");
    assertThat(e.get("dedup_key").asText()).isEqualTo(n.dedupKey()).hasSize(64);
    assertThat(e.at("/payload/severity").asText()).isEqualTo("critical"); // the worst of the two
    assertThat(e.at("/payload/summary").asText())
        .isEqualTo("[FIRING:2] disk-full: disk-full on n1 (+1 more)");
    assertThat(e.at("/payload/source").asText()).isEqualTo("n1,n2");
    assertThat(e.get("client").asText()).isEqualTo("Sixfinger");
    assertThat(e.get("client_url").asText()).isEqualTo("http://sixfinger.example:8080/");
    assertThat(e.at("/links/0/href").asText())
        .isEqualTo(
            "http://sixfinger.example:8080/alerts?group=%7B%7D%3A%7Balertname%3D%22disk-full%22%7D");
    assertThat(e.at("/payload/custom_details/firing")).hasSize(2);

    assertThat(client.acknowledge(pd.baseUrl(), Configs.ROUTING_KEY, n.dedupKey()).delivered())
        .isTrue();
    assertThat(pd.openIncidents()).containsEntry(n.dedupKey(), "acknowledged");

    Notification resolved =
        of(receiver, List.of(), List.of(alert("n1", "error", false, List.of())), Set.of());
    assertThat(client.notify(resolved).delivered()).isTrue();
    assertThat(pd.accepted().get(2).action()).isEqualTo("resolve");
    assertThat(pd.openIncidents()).isEmpty();
    assertThat(pd.duplicates()).isZero();
  }

  @Test
  void onlyMutedAlertsLeftMeansNothingToTellPagerDuty() {
    Notification n =
        of(receiver, List.of(), List.of(alert("n1", "error", false, List.of())), Set.of("fp2"));
    NotifyResult r = client.notify(n);
    assertThat(r.delivered()).isTrue();
    assertThat(r.attempts()).isZero();
    assertThat(pd.requests()).isZero();
  }

  @Test
  void retriesAfter429HonouringRetryAfter() {
    pd.failNext(2, 429, 3);
    NotifyResult r =
        client.notify(
            of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isTrue();
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(pd.requests()).isEqualTo(3);
    assertThat(pd.accepted()).hasSize(1);
    // Two Retry-After: 3 waits, whatever the (shorter) backoff was.
    assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void retriesAfter5xxWithBoundedExponentialBackoff() {
    pd.failNext(3, 503);
    NotifyResult r =
        client.notify(
            of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isTrue();
    assertThat(r.attempts()).isEqualTo(4);
    // Full jitter with random() = 0.999: just under 0.5 s, 1 s, 2 s.
    assertThat(time.sleeps).extracting(Duration::toMillis).containsExactly(499L, 999L, 1998L);
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    pd.failNext(10, 500);
    NotifyResult r =
        client.notify(
            of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isFalse();
    assertThat(r.attempts()).isEqualTo(5);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.detail()).contains("PagerDuty answered 500 after 5 attempt(s)");
    assertThat(pd.requests()).isEqualTo(5);
  }

  @Test
  void noRetryAfter400AndPagerDutysErrorTextIsReturned() {
    Receiver.PagerDuty bad = new Receiver.PagerDuty("pager", "too-short", pd.baseUrl());
    NotifyResult r =
        client.notify(of(bad, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isFalse();
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detail())
        .isEqualTo(
            "PagerDuty answered 400 after 1 attempt(s): invalid event: Event object is invalid"
                + " ['routing_key' must be 32 characters]");
    assertThat(pd.requests()).isEqualTo(1);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void ioErrorsAreRetriedThenReported() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Receiver.PagerDuty down =
        new Receiver.PagerDuty(
            "pager", Configs.ROUTING_KEY, URI.create("http://127.0.0.1:" + port));
    NotifyResult r =
        client.notify(
            of(down, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of()));
    assertThat(r.delivered()).isFalse();
    assertThat(r.attempts()).isEqualTo(5);
    assertThat(r.detail()).startsWith("I/O error: ").endsWith("after 5 attempt(s)");
  }

  @Test
  void hugeEvidenceIsDroppedToStayUnder512KB() {
    List<Alert> firing = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      firing.add(alert("n" + i, "error", true, evidence(40, 500)));
    }
    Notification n = of(receiver, firing, List.of(), Set.of());
    assertThat(PagerDutyClient.bytes(trimmedOff(n)).length)
        .isGreaterThan(PagerDutyClient.MAX_EVENT_BYTES);
    NotifyResult r = client.notify(n);
    assertThat(r.delivered()).as(r.detail()).isTrue();
    JsonNode details = pd.accepted().get(0).event().at("/payload/custom_details");
    assertThat(details.get("firing")).hasSize(40);
    assertThat(details.at("/firing/0/evidence").isMissingNode()).isTrue();
    assertThat(details.get("trimmed").asText()).contains("512 KB");
  }

  @Test
  void tooManyAlertsAreDroppedFromTheDetailsAndCounted() {
    List<Alert> firing = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      firing.add(
          alert(
              "host-with-a-rather-long-name-" + i + "-" + "x".repeat(150),
              "warning",
              true,
              List.of()));
    }
    NotifyResult r = client.notify(of(receiver, firing, List.of(), Set.of()));
    assertThat(r.delivered()).as(r.detail()).isTrue();
    JsonNode e = pd.accepted().get(0).event();
    JsonNode details = e.at("/payload/custom_details");
    assertThat(details.get("firing").size() + details.get("firing_not_shown").asInt())
        .isEqualTo(3000);
    assertThat(details.get("firing_not_shown").asInt()).isPositive();
    assertThat(e.at("/payload/source").asText()).hasSizeLessThanOrEqualTo(255);
  }

  @Test
  void summaryIsCutTo1024Characters() {
    Alert a = alert("n1", "info", true, List.of());
    Alert longSummary =
        new Alert(
            a.fingerprint(),
            a.rule(),
            a.labels(),
            a.status(),
            "s".repeat(5000),
            a.description(),
            a.startsAtMicros(),
            null,
            a.updatedAtMicros(),
            a.hosts(),
            a.evidence());
    NotifyResult r = client.notify(of(receiver, List.of(longSummary), List.of(), Set.of()));
    assertThat(r.delivered()).as(r.detail()).isTrue();
    String summary = pd.accepted().get(0).event().at("/payload/summary").asText();
    assertThat(summary).hasSize(1024).endsWith("…").startsWith("[FIRING:1] disk-full: sss");
    assertThat(pd.accepted().get(0).event().at("/payload/severity").asText()).isEqualTo("info");
  }

  @Test
  void severitiesMapToPagerDutysFour() {
    assertThat(PagerDutyClient.severity(List.of(alert("a", "warning", true, List.of()))))
        .isEqualTo("warning");
    assertThat(PagerDutyClient.severity(List.of(alert("a", "page", true, List.of()))))
        .isEqualTo("critical");
    assertThat(PagerDutyClient.severity(List.of(alert("a", "debug", true, List.of()))))
        .isEqualTo("info");
    assertThat(PagerDutyClient.cut("ab\uD83D\uDE00cd", 4)).isEqualTo("ab…");
  }

  @Test
  void ratesArePacedPerRoutingKey() {
    PagerDutyClient slow = new PagerDutyClient(FakeTime.sender(time, 5, 1, 60));
    Notification n =
        of(receiver, List.of(alert("n1", "error", true, List.of())), List.of(), Set.of());
    for (int i = 0; i < 3; i++) {
      assertThat(slow.notify(n).delivered()).isTrue();
    }
    // A burst of one, then one a second.
    assertThat(time.sleeps).extracting(Duration::toMillis).containsExactly(1000L, 1000L);
  }

  private static List<Event> evidence(int count, int descriptionLength) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          Event.builder()
              .host("n" + i)
              .service("disk/used-fraction")
              .state("critical")
              .description("d".repeat(descriptionLength))
              .metric(0.97)
              .timeMicros(Notifications.T0)
              .attributes(Map.of("mount", "/var"))
              .build());
    }
    return out;
  }

  /** The event as it would be without trimming (level 0), to show the test needs trimming. */
  private static com.fasterxml.jackson.databind.node.ObjectNode trimmedOff(Notification n) {
    var e = PagerDutyClient.trigger(Configs.ROUTING_KEY, n);
    var firing =
        (com.fasterxml.jackson.databind.node.ArrayNode) e.at("/payload/custom_details/firing");
    for (int i = 0; i < n.firing().size(); i++) {
      var ev =
          ((com.fasterxml.jackson.databind.node.ObjectNode) firing.get(i)).putArray("evidence");
      n.firing()
          .get(i)
          .evidence()
          .forEach(x -> ev.add(dev.sixfinger.core.codec.JsonCodec.toNode(x)));
    }
    return e;
  }
}
