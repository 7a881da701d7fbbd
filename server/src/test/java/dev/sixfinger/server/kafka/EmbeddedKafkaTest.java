package dev.sixfinger.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  @Test
  void defaultsAreASingleNodeOnLocalhost9092() {
    EmbeddedKafka.Settings settings = EmbeddedKafka.Settings.defaults();
    assertThat(settings.dataDir()).isEqualTo(Path.of("data", "kafka"));
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(9092);
    assertThat(settings.controllerPort()).isZero();
  }

  @Test
  void brokerPropertiesSuitOneNodeAndOverridesWin() {
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafka.Settings.defaults()
                .withDataDir(Path.of("/var/lib/sixfinger/kafka"))
                .withOverrides(Map.of("num.partitions", "4", "log.retention.hours", "24")));

    Map<String, String> props = kafka.brokerProperties(9092, 9093);

    assertThat(props)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
        .containsEntry("log.dirs", "/var/lib/sixfinger/kafka")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("num.partitions", "4")
        .containsEntry("log.retention.hours", "24");
  }

  @Test
  void ipv6HostsAreBracketed() {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Settings.defaults().withHost("::1"));
    assertThat(kafka.brokerProperties(9092, 9093))
        .containsEntry("advertised.listeners", "PLAINTEXT://[::1]:9092");
  }

  @Test
  void rejectsNonsensicalSettings() {
    EmbeddedKafka.Settings defaults = EmbeddedKafka.Settings.defaults();
    assertThatThrownBy(() -> defaults.withPort(70000)).hasMessageContaining("port");
    assertThatThrownBy(() -> defaults.withControllerPort(9092))
        .hasMessageContaining("port and controllerPort must differ");
  }

  @Test
  void startFailuresShowTheWholeCauseChainOnce() {
    Exception e =
        new RuntimeException(
            "Received a fatal error",
            new RuntimeException(
                "Socket server failed to bind to 127.0.0.1:9092: Address already in use.",
                new java.net.BindException("Address already in use")));
    assertThat(EmbeddedKafka.messages(e))
        .isEqualTo(
            "Received a fatal error: Socket server failed to bind to 127.0.0.1:9092: Address"
                + " already in use.");
  }

  @Test
  void bootstrapServersNeedsAStartedBroker() {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Settings.defaults());
    assertThatThrownBy(kafka::bootstrapServers).hasMessageContaining("not started");
    kafka.close();
    assertThatThrownBy(kafka::start).hasMessageContaining("closed");
  }
}
