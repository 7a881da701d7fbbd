package dev.sixfinger.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.kafka.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicAdminTest {
  @BeforeAll
  static void quietKafka() {
    KafkaTestLogging.quiet();
  }

  private static TopicAdmin admin(TopicAdmin.Settings settings) {
    return new TopicAdmin("127.0.0.1:1", settings);
  }

  @Test
  void plansEveryTopicWithItsPartitionsAndPolicy() {
    List<NewTopic> plan = admin(TopicAdmin.Settings.defaults()).plan((short) 1);
    Map<String, NewTopic> byName = plan.stream().collect(Collectors.toMap(NewTopic::name, t -> t));

    assertThat(plan).extracting(NewTopic::name).containsExactlyElementsOf(Topics.ALL);
    assertThat(byName.get(Topics.EVENTS).numPartitions()).isEqualTo(6);
    assertThat(byName.get(Topics.EVENTS).configs())
        .containsEntry("retention.ms", "604800000")
        .containsEntry("cleanup.policy", "delete");
    for (String name : Topics.COMPACTED) {
      assertThat(byName.get(name).configs()).containsEntry("cleanup.policy", "compact");
      assertThat(byName.get(name).numPartitions())
          .isEqualTo(
              name.equals(Topics.RULES_STATE) || name.equals(Topics.SCHEDULER_STATE) ? 1 : 3);
    }
    assertThat(byName.get(Topics.RULES_STATE).configs())
        .containsEntry("max.message.bytes", Integer.toString(Topics.RULES_STATE_MAX_BYTES));
    assertThat(byName.get(Topics.SCHEDULER_STATE).configs())
        .containsEntry("max.message.bytes", Integer.toString(Topics.RULES_STATE_MAX_BYTES));
    assertThat(byName.get(Topics.DLQ).configs()).isEmpty();
    assertThat(plan).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 1));
  }

  @Test
  void threeReplicasRequireTwoInSync() {
    List<NewTopic> plan = admin(TopicAdmin.Settings.defaults()).plan((short) 3);
    assertThat(plan)
        .allSatisfy(t -> assertThat(t.configs()).containsEntry("min.insync.replicas", "2"));
  }

  @Test
  void automaticReplicationIsAtMostThreeAndAtMostTheBrokers() {
    TopicAdmin auto = admin(TopicAdmin.Settings.defaults());
    assertThat(auto.replicationFactor(1)).isEqualTo((short) 1);
    assertThat(auto.replicationFactor(2)).isEqualTo((short) 2);
    assertThat(auto.replicationFactor(5)).isEqualTo((short) 3);

    TopicAdmin three = admin(TopicAdmin.Settings.defaults().withReplicationFactor((short) 3));
    assertThat(three.replicationFactor(3)).isEqualTo((short) 3);
    assertThatThrownBy(() -> three.replicationFactor(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replication factor 3")
        .hasMessageContaining("only 1 available broker");
  }

  @Test
  void rejectsNonsensicalSettings() {
    assertThatThrownBy(() -> TopicAdmin.Settings.defaults().withEventsPartitions(0))
        .hasMessageContaining("eventsPartitions");
    assertThatThrownBy(() -> TopicAdmin.Settings.defaults().withEventsRetention(Duration.ZERO))
        .hasMessageContaining("eventsRetention");
    assertThatThrownBy(() -> new TopicAdmin(" ", TopicAdmin.Settings.defaults()))
        .hasMessageContaining("kafka.bootstrapServers");
  }

  @Test
  void saysWhichAddressCouldNotBeReached() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String servers = "127.0.0.1:" + closedPort;
    TopicAdmin admin =
        new TopicAdmin(servers, TopicAdmin.Settings.defaults().withTimeout(Duration.ofSeconds(2)));

    assertThatThrownBy(admin::ensureTopics)
        .isInstanceOf(KafkaUnreachableException.class)
        .hasMessageStartingWith("could not reach Kafka at " + servers + " within 2 s")
        .hasMessageEndingWith("check kafka.bootstrapServers");
  }

  @Test
  void saysWhenTheAddressDoesNotResolve() {
    TopicAdmin admin =
        new TopicAdmin(
            "no-such-host.invalid:9092",
            TopicAdmin.Settings.defaults().withTimeout(Duration.ofSeconds(2)));

    assertThatThrownBy(admin::ensureTopics)
        .isInstanceOf(KafkaUnreachableException.class)
        .hasMessageContaining("no-such-host.invalid:9092")
        .hasMessageContaining("check kafka.bootstrapServers");
  }
}
