package dev.sixfinger.server.alerting;

import static dev.sixfinger.server.alerting.AlertingKit.firing;
import static dev.sixfinger.server.alerting.AlertingKit.nowMicros;
import static dev.sixfinger.server.alerting.AlertingKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.KafkaTestLogging;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two alerting instances of one group against the same Kafka: the leader in a JVM of its own, the
 * standby in this one. During a storm of transitions over many groups the leader is killed
 * (SIGKILL); the standby takes over from the topics. PagerDuty must see every group change that
 * happened while a leader was alive exactly once, and no incident left open.
 */
class AlertingFailoverIT {
  private static final String GROUP = "failover-test";
  private static final int GROUPS = 40;
  private static final int ROUNDS = 14;
  private static final long HOLD_MS = 2_000;

  @TempDir Path dir;

  @BeforeAll
  static void quiet() {
    KafkaTestLogging.quiet();
  }

  @Test
  void aKilledLeaderIsReplacedWithoutLosingOrRepeatingPages() throws Exception {
    EmbeddedKafka kafka = startKafka();
    PagerDutyTestServer pd = PagerDutyTestServer.start();
    Process leader = null;
    AlertingService standby = null;
    try {
      String bootstrap = kafka.bootstrapServers();
      Path config = AlertingKit.config(dir, "500ms", "1s");
      Path leaderLog = dir.resolve("leader.log");
      leader = startChild(bootstrap, config, pd, leaderLog);
      Process l = leader;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> l.isAlive() && Files.readString(leaderLog).contains("STATE LEADING"));
      standby =
          new AlertingService(
              AlertingMain.factory(config.toString(), GROUP, pd.baseUrl().toString()),
              bootstrap,
              Map.of());
      standby.start();
      AlertingService s = standby;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> s.state() == AlertingService.State.STANDBY);

      // round -> [fired at, resolved at] (ms)
      long[][] times = new long[ROUNDS][2];
      long killedAt = 0;
      long takenOverAt = 0;
      try (KafkaProducer<byte[], byte[]> p = AlertingKit.producer(bootstrap)) {
        for (int r = 0; r < ROUNDS; r++) {
          long start = nowMicros();
          times[r][0] = System.currentTimeMillis();
          for (int g = 0; g < GROUPS; g++) {
            send(p, Alerts.firing(labels(g, r), start, start));
          }
          if (r == 3) {
            TimeUnit.MILLISECONDS.sleep(700); // past group_wait: the leader is paging
            killedAt = System.currentTimeMillis();
            leader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
          sleepChecking(s, HOLD_MS);
          times[r][1] = System.currentTimeMillis();
          long end = nowMicros();
          for (int g = 0; g < GROUPS; g++) {
            send(p, Alerts.resolved(labels(g, r), start, end));
          }
          sleepChecking(s, HOLD_MS);
          if (takenOverAt == 0 && s.state() == AlertingService.State.LEADING) {
            takenOverAt = System.currentTimeMillis();
          }
        }
      }
      assertThat(takenOverAt).as("the standby took over").isPositive();
      await().atMost(Duration.ofSeconds(60)).until(() -> pd.openIncidents().isEmpty());
      TimeUnit.SECONDS.sleep(3); // nothing more may arrive

      // Per group: triggers and resolves alternate, and every round is paged at most once.
      Map<String, List<PagerDutyTestServer.Accepted>> byKey = new HashMap<>();
      pd.accepted()
          .forEach(a -> byKey.computeIfAbsent(a.dedupKey(), k -> new ArrayList<>()).add(a));
      assertThat(byKey).hasSize(GROUPS);
      int repeated = 0;
      Map<String, Integer> pagedRounds = new HashMap<>();
      for (List<PagerDutyTestServer.Accepted> events : byKey.values()) {
        int repeatedInGroup = 0;
        String last = "resolve";
        List<String> lastFiring = List.of();
        for (PagerDutyTestServer.Accepted a : events) {
          if (a.action().equals("trigger")) {
            if (last.equals("trigger") && firing(a).equals(lastFiring)) {
              repeatedInGroup++; // the same trigger again: the one in flight when the leader died
            } else {
              firing(a).forEach(f -> pagedRounds.merge(f, 1, Integer::sum));
            }
            lastFiring = firing(a);
          }
          last = a.action();
        }
        assertThat(last).isEqualTo("resolve");
        // Groups are sent concurrently, so several may have been in flight at the kill; each of
        // them at most once.
        assertThat(repeatedInGroup)
            .as("triggers of one group sent twice (at most the one in flight at the kill)")
            .isLessThanOrEqualTo(1);
        repeated += repeatedInGroup;
      }
      assertThat(repeated).isLessThanOrEqualTo(AlertingService.SENDER_THREADS);
      assertThat(pd.duplicates())
          .as("events received twice: at most one per sender, the ones in flight at the kill")
          .isLessThanOrEqualTo(AlertingService.SENDER_THREADS);
      int expected = 0;
      for (int r = 0; r < ROUNDS; r++) {
        boolean leaderAlive = times[r][1] < killedAt || times[r][0] > takenOverAt;
        for (int g = 0; g < GROUPS; g++) {
          String fp = Alerts.fingerprint(labels(g, r));
          int n = pagedRounds.getOrDefault(fp, 0);
          assertThat(n).as("round %d group %d paged", r, g).isLessThanOrEqualTo(1);
          if (leaderAlive) {
            expected++;
            assertThat(n).as("round %d group %d paged (a leader was alive)", r, g).isEqualTo(1);
          }
        }
      }
      assertThat(expected).isGreaterThanOrEqualTo(GROUPS * 6);
      System.out.printf(
          "failover: %d events, %d triggers, %d repeated, takeover %d ms after the kill%n",
          pd.accepted().size(),
          AlertingKit.events(pd, "trigger").size(),
          repeated,
          takenOverAt - killedAt);
    } finally {
      if (leader != null) {
        leader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      if (standby != null) {
        standby.stop();
      }
      pd.close();
      kafka.close();
    }
  }

  private static void sleepChecking(AlertingService s, long ms) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(ms);
    assertThat(s.state()).isNotIn(AlertingService.State.FAILED, AlertingService.State.STOPPED);
  }

  private static Map<String, String> labels(int group, int round) {
    return Alerts.labels(
        "alertname", "storm", "team", "t" + group, "host", "r" + round, "severity", "critical");
  }

  private EmbeddedKafka startKafka() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafka.Settings.defaults().withDataDir(dir.resolve("kafka")).withPort(port));
    kafka.start();
    new TopicAdmin(kafka.bootstrapServers(), TopicAdmin.Settings.defaults().withPartitions(2))
        .ensureTopics();
    return kafka;
  }

  private static Process startChild(String bootstrap, Path config, PagerDutyTestServer pd, Path log)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            AlertingMain.class.getName(),
            bootstrap,
            config.toString(),
            GROUP,
            pd.baseUrl().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
