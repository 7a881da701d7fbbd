package dev.sixfinger.collector.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.collector.agent.transport.RecordingSink.Mode;
import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestMetrics;
import dev.sixfinger.collector.ingest.IngestSettings;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport against the real ingest gateway over real TCP; only Kafka behind the gateway is
 * replaced, by {@link RecordingSink}.
 */
class RiemannTransportTest {
  @TempDir Path dir;

  private final RecordingSink sink = new RecordingSink();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  @AfterEach
  void closeAll() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
  }

  private IngestGateway gateway(int port) throws InterruptedException {
    IngestGateway g =
        new IngestGateway(
            IngestSettings.defaults().withHost("127.0.0.1").withPort(port),
            sink,
            null,
            new IngestMetrics(),
            Clock.system());
    g.start();
    resources.push(g);
    return g;
  }

  /** A port nothing listens on (until a test starts a gateway there). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private TransportSettings settings(int... ports) {
    return TransportSettings.defaults(
            Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).toList(), dir.resolve("spool"))
        .withBatch(500, Duration.ofMillis(100))
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  private RiemannTransport transport(TransportSettings settings) throws IOException {
    RiemannTransport t = new RiemannTransport(settings);
    resources.push(t);
    return t;
  }

  /** Numbered events with time and ttl set, so the gateway stores them unchanged. */
  static List<Event> events(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(
            i ->
                Event.builder()
                    .host("node-1")
                    .service("test/seq")
                    .state("ok")
                    .metric((long) i)
                    .timeMicros(1_700_000_000_000_000L + i)
                    .ttl(30f)
                    .build())
        .toList();
  }

  @Test
  void fullBatchesLeaveAtOnceInSubmissionOrder() throws Exception {
    IngestGateway gw = gateway(0);
    RiemannTransport t = transport(settings(gw.port()).withBatch(10, Duration.ofMinutes(1)));

    List<Event> sent = events(0, 100);
    sent.forEach(t::submit);

    eventually().until(() -> sink.events().size() == 100);
    // The counters move after the reply is read, a moment after the sink has the events.
    eventually().until(() -> t.stats().sentEvents() == 100 && t.stats().spoolDepth() == 0);
    assertThat(sink.events()).containsExactlyElementsOf(sent);
    assertThat(sink.batchSizes()).as("only full batches: the delay is a minute").containsOnly(10);
    assertThat(t.stats().sentEvents()).isEqualTo(100);
    assertThat(t.stats().sentBatches()).isEqualTo(10);
    assertThat(t.stats().spoolDepth()).isZero();
  }

  @Test
  void aPartialBatchLeavesOnceItsFirstEventHasWaitedTheDelay() throws Exception {
    IngestGateway gw = gateway(0);
    RiemannTransport t = transport(settings(gw.port()).withBatch(10, Duration.ofMillis(400)));

    t.submit(events(0, 25));

    await()
        .atLeast(Duration.ofMillis(250))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> sink.events().size() == 25);
    assertThat(sink.batchSizes()).containsExactly(10, 10, 5);
    assertThat(sink.events()).containsExactlyElementsOf(events(0, 25));
  }

  @Test
  void withTheServerDownEventsWaitInTheSpoolAndArriveOnceItStarts() throws Exception {
    int port = freePort();
    RiemannTransport t = transport(settings(port));
    for (int i = 0; i < 50; i += 10) {
      t.submit(events(i, i + 10));
    }
    eventually().until(() -> t.stats().sendErrors() >= 2);
    assertThat(t.stats().spoolDepth()).isEqualTo(50);

    gateway(port);

    eventually().until(() -> t.stats().spoolDepth() == 0 && t.stats().sentEvents() == 50);
    assertThat(sink.events()).as("all, in order, once").containsExactlyElementsOf(events(0, 50));
    assertThat(t.stats().sentEvents()).isEqualTo(50);
  }

  @Test
  void refusedBatchesStayInTheSpoolAndArriveWhenTheServerRecovers() throws Exception {
    IngestGateway gw = gateway(0);
    sink.mode(Mode.FAIL);
    RiemannTransport t = transport(settings(gw.port()));
    t.submit(events(0, 20));

    eventually().until(() -> t.stats().sendErrors() >= 3);
    assertThat(sink.events()).isEmpty();
    assertThat(t.stats().spoolDepth()).as("nothing acknowledged").isEqualTo(20);

    sink.mode(Mode.STORE);

    eventually().until(() -> t.stats().spoolDepth() == 0);
    assertThat(sink.events()).containsExactlyElementsOf(events(0, 20));
  }

  @Test
  void aServerThatDoesNotAnswerTimesOutAndTheBatchIsSentAgain() throws Exception {
    IngestGateway gw = gateway(0);
    sink.mode(Mode.HANG);
    RiemannTransport t =
        transport(settings(gw.port()).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)));
    t.submit(events(0, 5));

    eventually().until(() -> t.stats().sendErrors() >= 1);
    assertThat(t.stats().spoolDepth()).isEqualTo(5);

    sink.mode(Mode.STORE);

    eventually().until(() -> t.stats().spoolDepth() == 0);
    assertThat(sink.events()).containsExactlyElementsOf(events(0, 5));
  }

  @Test
  void whenTheFirstEndpointIsDownEventsGoToTheSecondAndStayThere() throws Exception {
    int down = freePort();
    IngestGateway gw = gateway(0);
    RiemannTransport t = transport(settings(down, gw.port()));

    t.submit(events(0, 30));
    eventually().until(() -> sink.events().size() == 30);
    long errors = t.stats().sendErrors();
    assertThat(errors).isGreaterThanOrEqualTo(1);

    t.submit(events(30, 60));
    eventually().until(() -> sink.events().size() == 60);
    assertThat(sink.events()).containsExactlyElementsOf(events(0, 60));
    assertThat(t.stats().sendErrors()).as("no going back to the dead one").isEqualTo(errors);
  }

  @Test
  void aRestartSendsWhatWasNotAcknowledgedAndNothingTwice() throws Exception {
    int port = freePort();
    IngestGateway gw = gateway(port);
    TransportSettings settings = settings(port);
    RiemannTransport first = transport(settings);
    first.submit(events(0, 10));
    eventually().until(() -> sink.events().size() == 10);

    resources.remove(gw);
    gw.close();
    first.submit(events(10, 20));
    eventually().until(() -> first.stats().sendErrors() >= 1);
    assertThat(first.stats().spoolDepth()).isEqualTo(10);
    first.close();

    gateway(port);
    RiemannTransport second = transport(settings);
    second.submit(events(20, 30));

    eventually().until(() -> second.stats().spoolDepth() == 0 && second.stats().sentEvents() == 20);
    assertThat(sink.events()).containsExactlyElementsOf(events(0, 30));
    assertThat(second.stats().sentEvents()).isEqualTo(20);
  }

  @Test
  void overTheSpoolLimitTheOldestAreDroppedAndCountedAndTheNewestArrive() throws Exception {
    int port = freePort();
    long limit = 16 * 1024;
    RiemannTransport t = transport(settings(port).withSpoolMaxBytes(limit));
    int total = 1000;
    for (int i = 0; i < total; i += 10) {
      t.submit(events(i, i + 10));
    }
    RiemannTransport.Stats stats = t.stats();
    assertThat(stats.dropped()).isPositive();
    assertThat(stats.spoolBytes()).isLessThanOrEqualTo(limit);
    assertThat(stats.spoolDepth() + stats.dropped()).isEqualTo(total);

    gateway(port);

    eventually().until(() -> t.stats().spoolDepth() == 0);
    List<Event> received = sink.events();
    assertThat(received).hasSize((int) (total - stats.dropped()));
    assertThat(received)
        .as("the newest survive, in order")
        .containsExactlyElementsOf(events(total - received.size(), total));
  }

  @Test
  void retriesBackOffExponentiallyAfterEachRoundOfEndpoints() throws Exception {
    List<Duration> sleeps = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    RiemannTransport t =
        new RiemannTransport(
            settings(freePort(), freePort()),
            d -> {
              sleeps.add(d);
              if (sleeps.size() >= 6) {
                release.await();
              }
            },
            () -> 1.0);
    try {
      t.submit(events(0, 1));
      eventually().until(() -> sleeps.size() == 6);
      assertThat(sleeps)
          .containsExactly(
              Duration.ofMillis(20),
              Duration.ofMillis(40),
              Duration.ofMillis(80),
              Duration.ofMillis(160),
              Duration.ofMillis(200),
              Duration.ofMillis(200));
      assertThat(t.stats().sendErrors()).as("both endpoints, six rounds").isEqualTo(12);
    } finally {
      release.countDown();
      t.close();
    }
  }

  @Test
  void submittingAfterCloseIsAnError() throws Exception {
    RiemannTransport t = new RiemannTransport(settings(freePort()));
    t.close();
    assertThatThrownBy(() -> t.submit(events(0, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
