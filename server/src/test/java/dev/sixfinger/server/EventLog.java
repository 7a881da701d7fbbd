package dev.sixfinger.server;

import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.EventDeserializer;
import dev.sixfinger.core.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads sixfinger.events from the beginning, as any consumer of the log would. */
public final class EventLog implements AutoCloseable {
  private final KafkaConsumer<String, Event> consumer;
  private final List<ConsumerRecord<String, Event>> records = new ArrayList<>();

  public EventLog(String bootstrapServers) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new EventDeserializer());
    consumer.subscribe(List.of(Topics.EVENTS));
  }

  /** Polls until at least {@code count} records have been read, then returns all read so far. */
  public List<ConsumerRecord<String, Event>> awaitAtLeast(int count, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              poll();
              return records.size() >= count;
            });
    return List.copyOf(records);
  }

  /** Reads whatever arrives within {@code quiet} and returns everything read so far. */
  public List<ConsumerRecord<String, Event>> drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
    return List.copyOf(records);
  }

  // Ticks (no value) are the rules engine's, not events.
  private void poll() {
    for (ConsumerRecord<String, Event> r : consumer.poll(Duration.ofMillis(200))) {
      if (r.value() != null) {
        records.add(r);
      }
    }
  }

  public List<Event> events() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
