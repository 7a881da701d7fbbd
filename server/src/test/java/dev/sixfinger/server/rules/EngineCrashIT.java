package dev.sixfinger.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.engine.RuleEngine;
import dev.sixfinger.rules.runner.EngineRunner;
import dev.sixfinger.rules.runner.LogReader;
import dev.sixfinger.rules.runner.RunnerSettings;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the engine (SIGKILL, in a JVM of its own) while a fleet streams events, starts it again,
 * and compares what it committed to sixfinger.alerts and sixfinger.health with what an
 * uninterrupted engine produces from the same log up to the same offsets: identical records in
 * identical order, so nothing repeated and nothing missing.
 */
class EngineCrashIT {
  private static final String GROUP = "crash-test";
  private static final int HOSTS = 30;
  private static final String RULES =
      """
      - name: hot
        match: service = "load"
        condition: metric > 50
        for: 1s
        alert: {severity: warning, summary: "{{host}} is hot"}
      - name: fleet-hot
        match: service = "load"
        condition: metric > 50
        for: 1s
        fleet: {fraction: 0.3}
        alert: {severity: critical, summary: "the fleet is hot"}
        health: {action: cordon, reason: "hot ({{hosts}})"}
      - name: silent
        match: service = "load"
        by: [host]
        condition: state = "expired"
        for: 0s
        alert: {severity: critical, summary: "{{host}} is silent"}
      """;

  @TempDir Path dir;

  @org.junit.jupiter.api.BeforeAll
  static void quiet() {
    dev.sixfinger.server.kafka.KafkaTestLogging.quiet();
  }

  @Test
  void aKilledEngineResumesWithoutRepeatingOrLosingAnyOutput() throws Exception {
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules);
    Files.writeString(rules.resolve("crash.yml"), RULES);
    EmbeddedKafka kafka = RulesTestKafka.start(RulesTestKafka.settings(dir));
    AtomicBoolean writing = new AtomicBoolean(true);
    Process engine = null;
    try {
      String bootstrap = kafka.bootstrapServers();
      engine = startEngine(bootstrap, rules, dir.resolve("engine-1.log"));
      Thread writer = new Thread(() -> writeFleet(bootstrap, writing), "fleet");
      writer.start();

      try (RuleOutputLog log = new RuleOutputLog(bootstrap)) {
        log.awaitAlerts(a -> a.size() >= 10, Duration.ofSeconds(60));
      }
      TimeUnit.SECONDS.sleep(3); // past a snapshot, into the next interval
      engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      engine = startEngine(bootstrap, rules, dir.resolve("engine-2.log"));

      writer.join(Duration.ofSeconds(90).toMillis());
      Map<TopicPartition, Long> written = endOffsets(bootstrap);
      await().atMost(Duration.ofSeconds(90)).until(() -> caughtUp(committed(bootstrap), written));
      engine.destroy(); // SIGTERM: a graceful stop that commits what it processed
      engine.waitFor(60, TimeUnit.SECONDS);
      assertThat(Files.readString(dir.resolve("engine-2.log"))).contains("restored its snapshot");

      assertOutputsMatchAnUninterruptedRun(bootstrap, rules);
    } finally {
      writing.set(false);
      if (engine != null) {
        engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      kafka.close();
    }
  }

  /**
   * What the engine committed equals, record for record, what a fresh engine produces from the log
   * up to the offsets the engine committed.
   */
  private static void assertOutputsMatchAnUninterruptedRun(String bootstrap, Path rules)
      throws Exception {
    Map<Integer, Long> upTo = new TreeMap<>();
    committed(bootstrap).forEach((tp, offset) -> upTo.put(tp.partition(), offset));
    List<EngineRecord> expected = new ArrayList<>();
    RuleEngine reference =
        new RuleEngine(RuleSet.load(rules), 0, EngineSettings.DEFAULTS, expected::add);
    LogReader.read(bootstrap, Map.of(), Instant.EPOCH, upTo, reference, n -> {});

    try (RuleOutputLog log = new RuleOutputLog(bootstrap)) {
      log.drain(Duration.ofSeconds(2));
      List<EngineRecord> expectedAlerts =
          expected.stream()
              .filter(r -> r instanceof AlertRecord)
              .map(EngineCrashIT::viaJson)
              .toList();
      List<EngineRecord> expectedHealth =
          expected.stream()
              .filter(r -> r instanceof HealthRecord)
              .map(EngineCrashIT::viaJson)
              .toList();
      assertThat(expectedAlerts).hasSizeGreaterThan(20);
      assertThat(expectedHealth).isNotEmpty();
      assertThat(log.alerts())
          .containsExactlyElementsOf(expectedAlerts.stream().map(r -> (AlertRecord) r).toList());
      assertThat(log.health())
          .containsExactlyElementsOf(expectedHealth.stream().map(r -> (HealthRecord) r).toList());
    }
  }

  @Test
  void aBrokerOutageMidStreamNeitherRepeatsNorLosesAnyOutput() throws Exception {
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules);
    Files.writeString(rules.resolve("crash.yml"), RULES);
    EmbeddedKafka.Settings kafkaSettings = RulesTestKafka.settings(dir);
    EmbeddedKafka kafka = RulesTestKafka.start(kafkaSettings);
    AtomicBoolean writing = new AtomicBoolean(true);
    EngineRunner runner = null;
    Thread engine = null;
    try {
      String bootstrap = kafka.bootstrapServers();
      runner = inProcessRunner(bootstrap, rules);
      engine = new Thread(runner, "rules-engine");
      engine.start();
      Thread writer = new Thread(() -> writeFleet(bootstrap, writing), "fleet");
      writer.start();
      try (RuleOutputLog log = new RuleOutputLog(bootstrap)) {
        log.awaitAlerts(a -> a.size() >= 10, Duration.ofSeconds(60));
      }
      kafka.close();
      EngineRunner r = runner;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> r.status().state() == EngineRunner.State.RETRYING);
      TimeUnit.SECONDS.sleep(2);
      kafka = new EmbeddedKafka(kafkaSettings);
      kafka.start();

      writer.join(Duration.ofSeconds(180).toMillis());
      Map<TopicPartition, Long> written = endOffsets(bootstrap);
      await().atMost(Duration.ofSeconds(120)).until(() -> caughtUp(committed(bootstrap), written));
      runner.stop();
      engine.join(Duration.ofSeconds(60).toMillis());
      assertThat(runner.status().state()).isEqualTo(EngineRunner.State.STOPPED);
      assertOutputsMatchAnUninterruptedRun(bootstrap, rules);
    } finally {
      writing.set(false);
      if (runner != null) {
        runner.stop();
        engine.join(Duration.ofSeconds(60).toMillis());
      }
      kafka.close();
    }
  }

  @Test
  void aStandbyTakesOverWhenTheLeaderStops() throws Exception {
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules);
    Files.writeString(rules.resolve("crash.yml"), RULES);
    EmbeddedKafka kafka = RulesTestKafka.start(RulesTestKafka.settings(dir));
    AtomicBoolean writing = new AtomicBoolean(true);
    List<EngineRunner> runners = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      String bootstrap = kafka.bootstrapServers();
      for (int i = 0; i < 2; i++) {
        EngineRunner runner = inProcessRunner(bootstrap, rules);
        Thread thread = new Thread(runner, "rules-engine-" + i);
        thread.start();
        runners.add(runner);
        threads.add(thread);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    runner.status().state()
                        == (runners.size() == 1
                            ? EngineRunner.State.RUNNING
                            : EngineRunner.State.STANDBY));
      }
      Thread writer = new Thread(() -> writeFleet(bootstrap, writing), "fleet");
      writer.start();
      try (RuleOutputLog log = new RuleOutputLog(bootstrap)) {
        log.awaitAlerts(a -> a.size() >= 10, Duration.ofSeconds(60));
      }
      assertThat(runners.get(1).status().state()).isEqualTo(EngineRunner.State.STANDBY);
      runners.get(0).stop();
      threads.get(0).join(Duration.ofSeconds(60).toMillis());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> runners.get(1).status().state() == EngineRunner.State.RUNNING);

      writer.join(Duration.ofSeconds(90).toMillis());
      Map<TopicPartition, Long> written = endOffsets(bootstrap);
      await().atMost(Duration.ofSeconds(90)).until(() -> caughtUp(committed(bootstrap), written));
      runners.get(1).stop();
      threads.get(1).join(Duration.ofSeconds(60).toMillis());
      assertOutputsMatchAnUninterruptedRun(bootstrap, rules);
    } finally {
      writing.set(false);
      runners.forEach(EngineRunner::stop);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(60).toMillis());
      }
      kafka.close();
    }
  }

  private static EngineRunner inProcessRunner(String bootstrap, Path rules) {
    return new EngineRunner(
        RuleSet.load(rules),
        RunnerSettings.defaults(bootstrap)
            .withGroup(GROUP)
            .withStartFromEarliest(true)
            .withSnapshotInterval(Duration.ofSeconds(2))
            .withIdleTick(Duration.ofMillis(200)),
        Clock.system());
  }

  private static EngineRecord viaJson(EngineRecord r) {
    return RecordJson.parse(RecordJson.toBytes(r));
  }

  private static Process startEngine(String bootstrap, Path rules, Path log) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            EngineMain.class.getName(),
            bootstrap,
            rules.toString(),
            GROUP)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * 30 hosts, a round every 50 ms for 20 s: hosts heat up and cool down in overlapping waves, so
   * that per-host and fleet alerts fire and resolve many times; a few hosts fall silent for a while
   * (ttl 1 s).
   */
  private static void writeFleet(String bootstrap, AtomicBoolean writing) {
    try (KafkaProducer<byte[], byte[]> producer = RulesTestKafka.producer(bootstrap)) {
      for (int round = 0; round < 400 && writing.get(); round++) {
        long now = System.currentTimeMillis();
        for (int h = 0; h < HOSTS; h++) {
          if (h % 10 == 0 && (round / 40) % 3 == 1) {
            continue; // silent for 2 s in every 6
          }
          boolean hot = ((round / 60) + h) % 3 == 0; // 3 s phases: longer than any for
          String host = String.format("h%02d", h);
          Event e =
              Event.builder()
                  .host(host)
                  .service("load")
                  .metric(hot ? 90.0 : 10.0)
                  .timeMicros(now * 1000)
                  .ttl(1f)
                  .build();
          producer.send(
              new ProducerRecord<>(
                  Topics.EVENTS, host.getBytes(StandardCharsets.UTF_8), RiemannCodec.encode(e)));
        }
        producer.flush();
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<TopicPartition, Long> endOffsets(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
      for (int p = 0; p < 3; p++) {
        request.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new java.util.HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
  }

  private static Map<TopicPartition, Long> committed(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> result = new java.util.HashMap<>();
      offsets.forEach((tp, om) -> result.put(tp, om.offset()));
      return result;
    }
  }

  private static boolean caughtUp(
      Map<TopicPartition, Long> committed, Map<TopicPartition, Long> written) {
    return written.entrySet().stream()
        .allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }
}
