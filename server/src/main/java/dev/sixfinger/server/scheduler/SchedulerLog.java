package dev.sixfinger.server.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import dev.sixfinger.scheduler.state.SchedulerEventJson;
import dev.sixfinger.scheduler.state.SchedulerSnapshot;
import dev.sixfinger.scheduler.state.SchedulerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's state in Kafka: the events of {@code sixfinger.scheduler} partition 0 (one total
 * order), and snapshots in the compacted {@code sixfinger.scheduler-state}, key {@code
 * scheduler/GROUP}, value {@code {"v":1,"type":"scheduler-state","offset":N,"time":…,"state":{…}}}
 * where {@code offset} is the next offset of partition 0 the snapshot does not cover.
 */
final class SchedulerLog {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLog.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final TopicPartition EVENTS =
      new TopicPartition(Topics.SCHEDULER, Topics.SCHEDULER_PARTITION);
  static final TopicPartition STATE = new TopicPartition(Topics.SCHEDULER_STATE, 0);

  /** A state rebuilt from the log, and the next offset of partition 0 after what it covers. */
  record Loaded(SchedulerState state, long nextOffset, long snapshotOffset, long replayed) {}

  private SchedulerLog() {}

  static byte[] key(String group) {
    return ("scheduler/" + group).getBytes(StandardCharsets.UTF_8);
  }

  static ProducerRecord<byte[], byte[]> event(SchedulerEvent e) {
    return new ProducerRecord<>(
        Topics.SCHEDULER,
        Topics.SCHEDULER_PARTITION,
        e.key().getBytes(StandardCharsets.UTF_8),
        SchedulerEventJson.toBytes(e));
  }

  static ProducerRecord<byte[], byte[]> snapshot(
      String group, SchedulerState state, long nextOffset, long nowMicros) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", 1);
    n.put("type", "scheduler-state");
    n.put("offset", nextOffset);
    n.put("time", JsonCodec.formatMicros(nowMicros));
    try {
      n.set("state", MAPPER.readTree(SchedulerSnapshot.write(state)));
      return new ProducerRecord<>(
          Topics.SCHEDULER_STATE, 0, key(group), MAPPER.writeValueAsBytes(n));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the scheduler snapshot", e);
    }
  }

  /**
   * The latest snapshot, then every event after it.
   *
   * @throws IllegalStateException if the latest snapshot or an event cannot be read (never skipped:
   *     a scheduler must not silently forget jobs)
   * @throws TimeoutException if Kafka does not answer in time
   */
  static Loaded load(String bootstrapServers, String group, Duration timeout) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-scheduler-load-" + group);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.RULES_STATE_MAX_BYTES);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      byte[] latest = null;
      byte[] key = key(group);
      consumer.assign(List.of(STATE));
      consumer.seekToBeginning(List.of(STATE));
      long end = consumer.endOffsets(List.of(STATE), timeout).get(STATE);
      while (consumer.position(STATE, timeout) < end) {
        checkDeadline(deadline, timeout, Topics.SCHEDULER_STATE);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (Arrays.equals(r.key(), key)) {
            latest = r.value();
          }
        }
      }
      SchedulerState state = new SchedulerState();
      long from = -1;
      if (latest != null) {
        try {
          JsonNode n = MAPPER.readTree(latest);
          if (n == null || n.path("v").asInt() != 1 || !n.path("offset").canConvertToLong()) {
            throw new IllegalArgumentException("not a version 1 scheduler snapshot");
          }
          from = n.get("offset").asLong();
          state = SchedulerSnapshot.read(MAPPER.writeValueAsBytes(n.path("state")));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalStateException(
              "the latest snapshot of scheduler group '"
                  + group
                  + "' in "
                  + Topics.SCHEDULER_STATE
                  + " cannot be read ("
                  + e.getMessage()
                  + "); delete it with a tombstone for key scheduler/"
                  + group
                  + " to rebuild the state from "
                  + Topics.SCHEDULER
                  + " alone",
              e);
        }
      }
      consumer.assign(List.of(EVENTS));
      long begin = consumer.beginningOffsets(List.of(EVENTS), timeout).get(EVENTS);
      long eventsEnd = consumer.endOffsets(List.of(EVENTS), timeout).get(EVENTS);
      if (from < 0) {
        if (begin > 0) {
          LOG.warn(
              "{} has no snapshot for group {} and its partition 0 starts at offset {}: events"
                  + " before it were deleted by retention, so jobs they described are missing",
              Topics.SCHEDULER_STATE,
              group,
              begin);
        }
        from = begin;
      } else if (from < begin) {
        throw new IllegalStateException(
            "the scheduler snapshot covers "
                + Topics.SCHEDULER
                + " up to offset "
                + from
                + " but retention already deleted the events up to "
                + begin
                + "; raise that topic's retention.ms above scheduler.snapshotInterval");
      }
      long snapshotOffset = from;
      consumer.seek(EVENTS, from);
      long replayed = 0;
      while (consumer.position(EVENTS, timeout) < eventsEnd) {
        checkDeadline(deadline, timeout, Topics.SCHEDULER);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          SchedulerEvent e;
          try {
            e = SchedulerEventJson.parse(r.value());
          } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(
                Topics.SCHEDULER
                    + " partition 0 offset "
                    + r.offset()
                    + " is not a scheduler event ("
                    + ex.getMessage()
                    + "); only the scheduler may write to that partition",
                ex);
          }
          state.apply(e);
          replayed++;
        }
      }
      return new Loaded(state, consumer.position(EVENTS, timeout), snapshotOffset, replayed);
    }
  }

  private static void checkDeadline(long deadline, Duration timeout, String topic) {
    if (System.nanoTime() - deadline > 0) {
      throw new TimeoutException("reading " + topic + " took longer than " + timeout);
    }
  }
}
