package dev.sixfinger.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.kafka.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker in this JVM (and one in a child JVM that gets killed). */
class EmbeddedKafkaIT {
  @TempDir Path dir;

  @BeforeAll
  static void quietKafka() {
    KafkaTestLogging.quiet();
  }

  private EmbeddedKafka.Settings settings() {
    return EmbeddedKafka.Settings.defaults()
        .withDataDir(dir.resolve("kafka"))
        .withPort(0)
        .withControllerPort(0);
  }

  @Test
  void createsTopicsAndKeepsTheLogAndClusterIdAcrossARestart() throws Exception {
    String clusterId;
    try (EmbeddedKafka kafka = new EmbeddedKafka(settings())) {
      kafka.start();
      assertThat(kafka.dataDir().resolve("meta.properties")).exists();

      TopicAdmin topicAdmin =
          new TopicAdmin(kafka.bootstrapServers(), TopicAdmin.Settings.defaults());
      TopicAdmin.Result first = topicAdmin.ensureTopics();
      assertThat(first.created()).containsExactlyElementsOf(Topics.ALL);
      assertThat(first.existing()).isEmpty();
      assertThat(first.replicationFactor()).isEqualTo((short) 1);

      TopicAdmin.Result second = topicAdmin.ensureTopics();
      assertThat(second.created()).isEmpty();
      assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(Topics.ALL);

      assertTopicsAsConfigured(kafka.bootstrapServers());

      KafkaTestClients.produce(kafka.bootstrapServers(), Topics.EVENTS, "host-1", "before");
      clusterId = kafka.clusterId();
    }

    try (EmbeddedKafka kafka = new EmbeddedKafka(settings())) {
      kafka.start();
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      try (Admin admin = admin(kafka.bootstrapServers())) {
        assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
            .isEqualTo(clusterId);
      }
      assertThat(
              keysAndValues(KafkaTestClients.consume(kafka.bootstrapServers(), Topics.EVENTS, 1)))
          .containsExactly("host-1=before");
      assertThat(
              new TopicAdmin(kafka.bootstrapServers(), TopicAdmin.Settings.defaults())
                  .ensureTopics()
                  .created())
          .isEmpty();
    }
  }

  @Test
  void startsAgainAfterTheProcessWasKilled() throws Exception {
    Path dataDir = dir.resolve("kafka");
    Path marker = dir.resolve("produced");
    Path childLog = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                KilledKafkaMain.class.getName(),
                dataDir.toString(),
                marker.toString(),
                "host-2",
                "acknowledged before the kill")
            .redirectErrorStream(true)
            .redirectOutput(childLog.toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(45)).until(() -> Files.exists(marker) || !child.isAlive());
      assertThat(child.isAlive())
          .as("child JVM is alive; its output:\n%s", read(childLog))
          .isTrue();
      assertThat(marker).exists();
    } finally {
      // SIGKILL: no shutdown hooks, no clean shutdown marker, Kafka's .lock file left behind.
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (EmbeddedKafka kafka = new EmbeddedKafka(settings().withDataDir(dataDir))) {
      kafka.start();
      assertThat(
              keysAndValues(KafkaTestClients.consume(kafka.bootstrapServers(), Topics.EVENTS, 1)))
          .containsExactly("host-2=acknowledged before the kill");
    }
  }

  @Test
  void failsClearlyWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      EmbeddedKafka kafka = new EmbeddedKafka(settings().withPort(taken.getLocalPort()));
      assertThatThrownBy(kafka::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("could not start embedded Kafka at " + address)
          .hasMessageContaining("failed to bind to " + address + ": Address already in use");
      assertThat(kafka.isRunning()).isFalse();
    }
    // The failed start released the directory: a broker on a free port can use it.
    try (EmbeddedKafka kafka = new EmbeddedKafka(settings())) {
      kafka.start();
      assertThat(kafka.isRunning()).isTrue();
    }
  }

  private static void assertTopicsAsConfigured(String bootstrapServers) throws Exception {
    try (Admin admin = admin(bootstrapServers)) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.ALL);
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(descriptions.get(Topics.EVENTS).partitions()).hasSize(6);
      assertThat(descriptions.get(Topics.HEALTH).partitions()).hasSize(3);

      List<ConfigResource> resources =
          Topics.ALL.stream()
              .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
              .toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      for (String name : Topics.ALL) {
        String policy =
            configs
                .get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value();
        assertThat(policy)
            .as("cleanup.policy of %s", name)
            .isEqualTo(Topics.COMPACTED.contains(name) ? "compact" : "delete");
      }
      assertThat(
              configs
                  .get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS))
                  .get(TopicConfig.RETENTION_MS_CONFIG)
                  .value())
          .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
    }
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  private static List<String> keysAndValues(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> r.key() + "=" + r.value()).collect(Collectors.toList());
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
  }
}
