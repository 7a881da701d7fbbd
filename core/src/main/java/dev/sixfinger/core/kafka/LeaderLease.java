package dev.sixfinger.core.kafka;

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
 * Which member of a group of processes is active (the rules engine's, alerting's), decided by
 * Kafka's group membership: every member joins the consumer group {@code GROUP.leader} on the one
 * partition of {@code sixfinger.rules-state}, and the member that is assigned it leads. When the
 * leader stops or hangs, the group hands the partition to a standby within the session timeout. The
 * partition is paused, so the membership reads nothing; a leader that has not noticed it lost must
 * be fenced by other means (the engine's transactions, alerting's notification log).
 *
 * <p>Not thread-safe: one thread polls it.
 */
public final class LeaderLease implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean leader;

  public LeaderLease(String bootstrapServers, String group, Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>(overrides);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group + ".leader");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-lease-" + group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A standby takes over within this when the leader's process dies.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
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

  /** Keeps the membership alive and returns whether this member leads; waits up to {@code max}. */
  public boolean poll(Duration max) {
    consumer.poll(max);
    return leader;
  }

  public boolean leader() {
    return leader;
  }

  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    leader = false;
    consumer.close(Duration.ofSeconds(5));
  }
}
