package dev.sixfinger.rules.runner;

import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.rules.engine.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Engine snapshots in the compacted {@code sixfinger.rules-state}, one record per engine group (key
 * {@code engine/GROUP}): {@code {"v":1, "offsets": {"partition": next offset, ...}, "engine":
 * <RuleEngine.snapshot()>}}, gzipped JSON. The runner writes it in the same transaction as the
 * offsets it covers, so a snapshot never claims more or less than what was committed with it.
 */
final class SnapshotStore {
  private static final TopicPartition PARTITION = new TopicPartition(Topics.RULES_STATE, 0);

  /** A snapshot read back: the next offset of each events partition, and the engine's state. */
  record Stored(Map<Integer, Long> offsets, Object engine, int bytes) {}

  private SnapshotStore() {}

  static byte[] key(String group) {
    return ("engine/" + group).getBytes(StandardCharsets.UTF_8);
  }

  static ProducerRecord<byte[], byte[]> record(
      String group, Map<Integer, Long> offsets, Object engine) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("v", 1L);
    Map<String, Object> o = new TreeMap<>();
    offsets.forEach((p, off) -> o.put(Integer.toString(p), off));
    tree.put("offsets", o);
    tree.put("engine", engine);
    return new ProducerRecord<>(Topics.RULES_STATE, 0, key(group), SnapshotCodec.encode(tree));
  }

  /**
   * The latest committed snapshot of {@code group}, if any.
   *
   * @throws IllegalStateException if the latest snapshot cannot be read (it is not skipped: an
   *     engine must not silently start from nothing)
   * @throws TimeoutException if Kafka does not answer in time
   */
  static Optional<Stored> load(Map<String, Object> consumerConfig, String group, Duration timeout) {
    Map<String, Object> props = new HashMap<>(consumerConfig);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-rules-snapshot-" + group);
    byte[] key = key(group);
    byte[] latest = null;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(PARTITION));
      consumer.seekToBeginning(List.of(PARTITION));
      long end = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(PARTITION, timeout) < end) {
        if (System.nanoTime() - deadline > 0) {
          throw new TimeoutException(
              "reading " + Topics.RULES_STATE + " took longer than " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (Arrays.equals(r.key(), key)) {
            latest = r.value(); // null: deleted
          }
        }
      }
    }
    if (latest == null) {
      return Optional.empty();
    }
    return Optional.of(decode(latest, group));
  }

  static Stored decode(byte[] bytes, String group) {
    try {
      Object tree = SnapshotCodec.decode(bytes);
      if (!(tree instanceof Map<?, ?> m)
          || !(m.get("v") instanceof Number v)
          || v.intValue() != 1
          || !(m.get("offsets") instanceof Map<?, ?> o)) {
        throw new IllegalArgumentException("not a version 1 engine snapshot");
      }
      Map<Integer, Long> offsets = new TreeMap<>();
      o.forEach((p, off) -> offsets.put(Integer.parseInt((String) p), ((Number) off).longValue()));
      return new Stored(offsets, m.get("engine"), bytes.length);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalStateException(
          "the latest snapshot of rules engine group '"
              + group
              + "' in "
              + Topics.RULES_STATE
              + " cannot be read ("
              + e.getMessage()
              + "); delete it with a tombstone for key engine/"
              + group
              + " to start the engine afresh",
          e);
    }
  }
}
