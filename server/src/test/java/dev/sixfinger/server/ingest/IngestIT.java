package dev.sixfinger.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import dev.sixfinger.server.EventLog;
import dev.sixfinger.server.RiemannCli;
import dev.sixfinger.server.TestServer;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server with its embedded Kafka, driven by real Riemann clients. */
class IngestIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path data;
  static TestServer server;
  static EventLog log;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.embedded(data);
    log = new EventLog(server.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (log != null) {
      log.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Everything read from the log so far whose host starts with the prefix. */
  private static List<ConsumerRecord<String, Event>> awaitHosts(String prefix, int count) {
    List<ConsumerRecord<String, Event>> matching = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              matching.clear();
              for (ConsumerRecord<String, Event> r : log.drain(Duration.ofMillis(300))) {
                if (r.value().host() != null && r.value().host().startsWith(prefix)) {
                  matching.add(r);
                }
              }
              return matching.size() >= count;
            });
    return matching;
  }

  @Test
  void riemannClientOverTcpAndUdpArrivesWithEveryField() throws Exception {
    int port = server.riemannPort();
    RiemannCli.ok(
        port,
        "send",
        "-h",
        "cli-tcp-1",
        "-S",
        "swap/in-rate",
        "-s",
        "warning",
        "-D",
        "heavy",
        "-t",
        "linux",
        "-t",
        "prod",
        "-a",
        "rack=r7",
        "-a",
        "dc=east",
        "-i",
        "42",
        "-L",
        "30",
        "-T");
    RiemannCli.ok(port, "send", "-h", "cli-tcp-2", "-S", "load/1", "-d", "1.25");
    RiemannCli.ok(port, "send", "-h", "cli-tcp-3", "-S", "mem", "-f", "0.5");
    RiemannCli.ok(
        port, "send", "-h", "cli-udp-1", "-S", "disk/used", "-d", "0.75", "-t", "udp", "-U");

    List<ConsumerRecord<String, Event>> records = awaitHosts("cli-", 4);
    Map<String, ConsumerRecord<String, Event>> byHost = new HashMap<>();
    records.forEach(r -> byHost.put(r.value().host(), r));
    assertThat(byHost).containsOnlyKeys("cli-tcp-1", "cli-tcp-2", "cli-tcp-3", "cli-udp-1");

    ConsumerRecord<String, Event> first = byHost.get("cli-tcp-1");
    assertThat(first.key()).isEqualTo("cli-tcp-1");
    Event e = first.value();
    assertThat(e.service()).isEqualTo("swap/in-rate");
    assertThat(e.state()).isEqualTo("warning");
    assertThat(e.description()).isEqualTo("heavy");
    assertThat(e.tags()).containsExactly("linux", "prod");
    // riemann-c-client adds its own x-client attribute.
    assertThat(e.attributes())
        .contains(Map.entry("rack", "r7"), Map.entry("dc", "east"))
        .containsEntry("x-client", "riemann-c-client");
    assertThat(e.metric()).isEqualTo(42L);
    assertThat(e.ttl()).isEqualTo(30f);
    assertThat(e.timeMicros()).isNotNull();

    assertThat(byHost.get("cli-tcp-2").value().metric()).isEqualTo(1.25d);
    assertThat(byHost.get("cli-tcp-3").value().metric()).isEqualTo(0.5d);
    assertThat(byHost.get("cli-tcp-2").value().ttl()).as("default ttl").isEqualTo(60f);
    Event udp = byHost.get("cli-udp-1").value();
    assertThat(udp.metric()).isEqualTo(0.75d);
    assertThat(udp.tags()).containsExactly("udp");
  }

  @Test
  void pipelinedBatchesArriveExactlyOnceAndInOrderPerHost() throws Exception {
    int connections = 4;
    int messages = 50;
    int eventsPerMessage = 20;
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<Integer>> oks = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int conn = c;
      oks.add(
          pool.submit(
              () -> {
                try (RiemannTcpClient client =
                    new RiemannTcpClient("127.0.0.1", server.riemannPort(), WAIT)) {
                  long seq = 0;
                  for (int m = 0; m < messages; m++) {
                    RiemannProto.Msg.Builder msg = RiemannProto.Msg.newBuilder();
                    for (int i = 0; i < eventsPerMessage; i++) {
                      Event event =
                          Event.builder()
                              .host("pipe-" + conn + "-" + (i % 5))
                              .service("seq")
                              .metric(seq++)
                              .attribute("conn", Integer.toString(conn))
                              .timeMicros(1_700_000_000_000_000L + seq)
                              .ttl(10f)
                              .build();
                      msg.addEvents(RiemannCodec.toProto(event));
                    }
                    client.write(msg.build());
                  }
                  client.flush();
                  int ok = 0;
                  for (int m = 0; m < messages; m++) {
                    if (client.read().getOk()) {
                      ok++;
                    }
                  }
                  return ok;
                }
              }));
    }
    for (Future<Integer> ok : oks) {
      assertThat(ok.get()).isEqualTo(messages);
    }
    pool.shutdown();

    int total = connections * messages * eventsPerMessage;
    List<ConsumerRecord<String, Event>> records = awaitHosts("pipe-", total);
    assertThat(records).hasSize(total);
    Map<String, List<Long>> perHost = new HashMap<>();
    for (ConsumerRecord<String, Event> r : records) {
      assertThat(r.key()).isEqualTo(r.value().host());
      perHost.computeIfAbsent(r.key(), k -> new ArrayList<>()).add((Long) r.value().metric());
    }
    assertThat(perHost).hasSize(connections * 5);
    perHost.forEach(
        (host, seqs) -> {
          assertThat(seqs).as("order of %s", host).isSorted();
          assertThat(seqs).as("duplicates of %s", host).doesNotHaveDuplicates();
          assertThat(seqs).hasSize(messages * eventsPerMessage / 5);
        });
  }

  @Test
  void httpAcceptsOneEventOrAnArray() throws Exception {
    HttpResponse<String> one =
        post("{\"host\":\"http-1\",\"service\":\"cpu\",\"metric\":0.3,\"tags\":[\"a\"]}");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).contains("\"ok\":true");
    HttpResponse<String> array =
        post(
            "[{\"host\":\"http-2\",\"metric\":1,\"time\":\"2026-01-31T12:00:00.000001Z\"},"
                + "{\"host\":\"http-3\",\"state\":\"ok\",\"rack\":\"r1\"}]");
    assertThat(array.statusCode()).isEqualTo(200);

    Map<String, Event> byHost = new HashMap<>();
    awaitHosts("http-", 3).forEach(r -> byHost.put(r.value().host(), r.value()));
    assertThat(byHost.get("http-1").metric()).isEqualTo(0.3d);
    assertThat(byHost.get("http-2").metric()).isEqualTo(1L);
    assertThat(byHost.get("http-2").timeMicros()).isEqualTo(1_769_860_800_000_001L);
    assertThat(byHost.get("http-3").attributes()).containsEntry("rack", "r1");
    assertThat(byHost.get("http-3").ttl()).isEqualTo(60f);
  }

  @Test
  void httpRejectsBadInputNamingTheField() throws Exception {
    HttpResponse<String> stringMetric = post("{\"host\":\"bad\",\"metric\":\"lots\"}");
    assertThat(stringMetric.statusCode()).isEqualTo(400);
    assertThat(stringMetric.body())
        .contains("\"error\":\"field 'metric' must be a number, got string \\\"lots\\\"\"");
    HttpResponse<String> notJson = post("{host: bad");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("body is not valid JSON");
    HttpResponse<String> inArray = post("[{\"host\":\"ok\"},{\"tags\":\"x\"}]");
    assertThat(inArray.statusCode()).isEqualTo(400);
    assertThat(inArray.body()).contains("field '[1].tags' must be an array of strings");
  }

  @Test
  void tooLongFrameIsRefusedWithTheLimitAndClosesOnlyThatConnection() throws Exception {
    try (RiemannTcpClient bystander =
            new RiemannTcpClient("127.0.0.1", server.riemannPort(), WAIT);
        RiemannTcpClient bad = new RiemannTcpClient("127.0.0.1", server.riemannPort(), WAIT)) {
      bad.writeRaw(new byte[] {0x7f, 0, 0, 0, 1, 2, 3});
      bad.flush();
      RiemannProto.Msg reply = bad.read();
      assertThat(reply.getOk()).isFalse();
      assertThat(reply.getError())
          .contains("message of 2130706432 bytes exceeds the maximum of 16777216 bytes")
          .contains("ingest.maxFrameSize");
      assertThatThrownBy(bad::read).isInstanceOf(EOFException.class);

      assertThat(bystander.call(oneEvent("bystander-1")).getOk()).isTrue();
    }
  }

  @Test
  void undecodableFrameGetsAnErrorAndTheConnectionGoesOn() throws Exception {
    try (RiemannTcpClient client = new RiemannTcpClient("127.0.0.1", server.riemannPort(), WAIT)) {
      client.writeRaw(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      client.write(oneEvent("after-garbage-1"));
      client.flush();
      RiemannProto.Msg first = client.read();
      assertThat(first.getOk()).isFalse();
      assertThat(first.getError()).contains("not a Riemann protobuf Msg");
      assertThat(client.read().getOk()).isTrue();
    }
    assertThat(awaitHosts("after-garbage-", 1)).hasSize(1);
  }

  @Test
  void undecodableDatagramIsCountedAndTheSocketGoesOn() throws Exception {
    long before = server.app().ingestMetrics().udpUndecodable.sum();
    try (DatagramSocket udp = new DatagramSocket()) {
      InetAddress local = InetAddress.getLoopbackAddress();
      byte[] garbage = {(byte) 0xff, (byte) 0xff, 1, 2};
      udp.send(new DatagramPacket(garbage, garbage.length, local, server.riemannPort()));
      byte[] good = oneEvent("udp-after-garbage-1").toByteArray();
      udp.send(new DatagramPacket(good, good.length, local, server.riemannPort()));
    }
    assertThat(awaitHosts("udp-after-garbage-", 1)).hasSize(1);
    assertThat(server.app().ingestMetrics().udpUndecodable.sum()).isEqualTo(before + 1);
  }

  @Test
  void queriesAreAnsweredFromTheIndex() throws IOException {
    try (RiemannTcpClient client = new RiemannTcpClient("127.0.0.1", server.riemannPort(), WAIT)) {
      RiemannProto.Msg reply = client.call(query("service = \"no such service\""));
      assertThat(reply.getOk()).isTrue();
      assertThat(reply.getEventsCount()).isZero();

      RiemannProto.Msg bad = client.call(query("service = "));
      assertThat(bad.getOk()).isFalse();
      assertThat(bad.getError()).contains("bad query").contains("column 11");
    }
  }

  private static RiemannProto.Msg query(String text) {
    return RiemannProto.Msg.newBuilder()
        .setQuery(RiemannProto.Query.newBuilder().setString(text))
        .build();
  }

  private static RiemannProto.Msg oneEvent(String host) {
    return RiemannProto.Msg.newBuilder()
        .addEvents(RiemannCodec.toProto(Event.builder().host(host).service("s").metric(1L).build()))
        .build();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/v1/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
