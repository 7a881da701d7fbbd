package dev.sixfinger.rules.runner;

import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.rules.engine.RuleEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Feeds an engine from the log: one record at a time ({@link #feed}), or a whole time range in the
 * runner's merge order ({@link #read}) for backtests.
 */
public final class LogReader {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What a range held: records (ticks included), events among them, and undecodable ones. */
  public record Result(long records, long events, long undecodable) {}

  private LogReader() {}

  /**
   * Advances the engine to the record's time and, unless it is a tick, processes its event.
   *
   * @return true for an event, false for a tick
   * @throws CodecException if the record holds no valid event
   */
  static boolean feed(RuleEngine engine, ConsumerRecord<byte[], byte[]> r) throws CodecException {
    long micros = r.timestamp() * 1000;
    if (r.value() == null) {
      if (r.headers().lastHeader(Topics.TICK_HEADER) != null) {
        engine.advanceTo(micros);
      }
      return false;
    }
    engine.process(micros, RiemannCodec.decode(r.value()));
    return true;
  }

  /**
   * Feeds the records of {@code sixfinger.events} whose time is in [from, to) to the engine, in
   * merge order. {@code to} null means up to the end of the log as it is when the read starts.
   */
  public static Result read(
      String bootstrapServers,
      Map<String, Object> kafkaOverrides,
      Instant from,
      Instant to,
      RuleEngine engine,
      LongConsumer progress) {
    return read(bootstrapServers, kafkaOverrides, from, to, null, engine, progress);
  }

  /**
   * Feeds the records from {@code from} up to (not including) the given offset of each partition,
   * e.g. the offsets a live engine committed, to compare a replay with what it did.
   */
  public static Result read(
      String bootstrapServers,
      Map<String, Object> kafkaOverrides,
      Instant from,
      Map<Integer, Long> endOffsets,
      RuleEngine engine,
      LongConsumer progress) {
    return read(bootstrapServers, kafkaOverrides, from, null, endOffsets, engine, progress);
  }

  private static Result read(
      String bootstrapServers,
      Map<String, Object> kafkaOverrides,
      Instant from,
      Instant to,
      Map<Integer, Long> endOffsets,
      RuleEngine engine,
      LongConsumer progress) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-replay");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.putAll(kafkaOverrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    long records = 0;
    long events = 0;
    long undecodable = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = c.partitionsFor(Topics.EVENTS, TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + Topics.EVENTS + " does not exist");
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(partitions);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions, TIMEOUT);
      if (endOffsets != null) {
        ends.replaceAll((tp, end) -> Math.min(end, endOffsets.getOrDefault(tp.partition(), 0L)));
      }
      if (to != null) {
        Map<TopicPartition, Long> at = timesFor(partitions, to);
        c.offsetsForTimes(at, TIMEOUT)
            .forEach(
                (tp, ot) -> {
                  if (ot != null) {
                    ends.put(tp, Math.min(ends.get(tp), ot.offset()));
                  }
                });
      }
      Map<TopicPartition, OffsetAndTimestamp> starts =
          c.offsetsForTimes(timesFor(partitions, from), TIMEOUT);
      PartitionMerge merge =
          new PartitionMerge(partitions.stream().map(TopicPartition::partition).toList());
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp start = starts.get(tp);
        long offset = start == null ? ends.get(tp) : start.offset();
        c.seek(tp, offset);
        if (offset >= ends.get(tp)) {
          merge.finish(tp.partition());
        }
      }
      while (!merge.exhausted()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < ends.get(tp)) {
            merge.add(r);
          }
        }
        // By position, not by the last record: transaction markers and aborted records take
        // offsets that a read_committed consumer never returns.
        for (TopicPartition tp : partitions) {
          if (!c.paused().contains(tp) && c.position(tp, TIMEOUT) >= ends.get(tp)) {
            merge.finish(tp.partition());
            c.pause(List.of(tp));
          }
        }
        ConsumerRecord<byte[], byte[]> r;
        while ((r = merge.next()) != null) {
          records++;
          try {
            if (feed(engine, r)) {
              events++;
            }
          } catch (CodecException e) {
            undecodable++;
          }
          if (records % 100_000 == 0) {
            progress.accept(records);
          }
        }
      }
    }
    progress.accept(records);
    return new Result(records, events, undecodable);
  }

  private static Map<TopicPartition, Long> timesFor(List<TopicPartition> partitions, Instant t) {
    Map<TopicPartition, Long> m = new HashMap<>();
    partitions.forEach(tp -> m.put(tp, t.toEpochMilli()));
    return m;
  }
}
