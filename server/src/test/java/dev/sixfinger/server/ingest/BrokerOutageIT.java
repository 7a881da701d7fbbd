package dev.sixfinger.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import dev.sixfinger.server.EventLog;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while a client sends. Whatever the client was told was stored must be in the
 * log once the broker is back; what could not be stored must have been answered ok=false.
 */
class BrokerOutageIT {

  @TempDir Path dir;

  @Test
  void noOkIsEverReturnedForAnEventThatIsNotInKafka() throws Exception {
    EmbeddedKafka.Settings settings =
        EmbeddedKafka.Settings.defaults().withDataDir(dir.resolve("kafka")).withPort(freePort());
    EmbeddedKafka kafka = new EmbeddedKafka(settings);
    kafka.start();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (TestServer server =
        TestServer.external(
            kafka.bootstrapServers(), ConfigOverride.config("kafka.deliveryTimeout", "4s"))) {
      Thread sender =
          new Thread(() -> send(server.riemannPort(), sending, acknowledged, refused), "sender");
      sender.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);
      kafka.close();
      await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= 1);

      kafka = new EmbeddedKafka(settings);
      kafka.start();
      int beforeRecovery = acknowledged.size();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> acknowledged.size() >= beforeRecovery + 200);
      sending.set(false);
      sender.join(Duration.ofSeconds(30).toMillis());

      Set<String> logged = new HashSet<>();
      try (EventLog log = new EventLog(kafka.bootstrapServers())) {
        log.awaitAtLeast(acknowledged.size(), Duration.ofSeconds(60));
        log.drain(Duration.ofSeconds(1));
        log.events().forEach(e -> logged.add(e.attributes().get("id")));
      }
      assertThat(refused.get()).as("clients told of the outage").isPositive();
      assertThat(logged).as("acknowledged events in the log").containsAll(acknowledged);
    } finally {
      sending.set(false);
      kafka.close();
    }
  }

  /** Sends one 10-event message at a time until told to stop, reconnecting when cut off. */
  private static void send(
      int port, AtomicBoolean sending, Set<String> acknowledged, AtomicInteger refused) {
    int message = 0;
    while (sending.get()) {
      try (RiemannTcpClient client =
          new RiemannTcpClient("127.0.0.1", port, Duration.ofSeconds(30))) {
        while (sending.get()) {
          RiemannProto.Msg.Builder msg = RiemannProto.Msg.newBuilder();
          Set<String> ids = new HashSet<>();
          for (int i = 0; i < 10; i++) {
            String id = message + "-" + i;
            ids.add(id);
            msg.addEvents(
                RiemannCodec.toProto(
                    Event.builder().host("outage-" + i).service("s").attribute("id", id).build()));
          }
          message++;
          RiemannProto.Msg reply = client.call(msg.build());
          if (reply.getOk()) {
            acknowledged.addAll(ids);
          } else {
            refused.incrementAndGet();
          }
        }
      } catch (IOException e) {
        refused.incrementAndGet();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
