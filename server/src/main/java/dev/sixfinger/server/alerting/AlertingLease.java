package dev.sixfinger.server.alerting;

import dev.sixfinger.core.kafka.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Which alerting instance of a group sends, decided by Kafka's group membership (as the rules
 * engine's lease): every instance joins the consumer group {@code GROUP.leader} on the single
 * partition of {@code sixfinger.rules-state}, paused so that nothing is read, and the member it is
 * assigned to leads. When the leader's process dies, the broker expires its session and hands the
 * partition to a standby within the session timeout.
 *
 * <p>Not thread-safe: the alerting loop polls it.
 */
final class AlertingLease implements AutoCloseable {
  /** A standby takes over within about this long when the leader's process dies. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private boolean leader;

  AlertingLease(String bootstrapServers, String group) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group + ".leader");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-alerting-lease-" + group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    // A standby joining must not take the partition away from the leader even for a moment.
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(
        List.of(Topics.RULES_STATE),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
            leader = !partitions.isEmpty() || leader;
          }

          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
              leader = false;
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            leader = false;
          }
        });
  }

  /** Keeps the membership alive and returns whether this instance leads. */
  boolean poll() {
    consumer.poll(POLL);
    return leader;
  }

  @Override
  public void close() {
    leader = false;
    consumer.close(Duration.ofSeconds(5));
  }
}
