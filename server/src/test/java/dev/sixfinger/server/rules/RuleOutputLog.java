package dev.sixfinger.server.rules;

import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what the engine committed to sixfinger.alerts and sixfinger.health, in log order. */
final class RuleOutputLog implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<EngineRecord> alerts = new ArrayList<>();
  private final List<EngineRecord> health = new ArrayList<>();

  RuleOutputLog(String bootstrapServers) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(Topics.ALERTS, Topics.HEALTH)) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private void poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      EngineRecord record = RecordJson.parse(r.value());
      (record instanceof AlertRecord ? alerts : health).add(record);
    }
  }

  /** Polls until the alerts read so far satisfy {@code done}. */
  List<AlertRecord> awaitAlerts(Predicate<List<AlertRecord>> done, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              poll();
              return done.test(alerts());
            });
    return alerts();
  }

  /** Reads whatever arrives within {@code quiet}. */
  void drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
  }

  /** Alert transitions; their order is the log order within one partition (one fingerprint). */
  List<AlertRecord> alerts() {
    return alerts.stream().map(r -> (AlertRecord) r).toList();
  }

  List<HealthRecord> health() {
    return health.stream().map(r -> (HealthRecord) r).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
