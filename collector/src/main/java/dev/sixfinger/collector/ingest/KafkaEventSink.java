package dev.sixfinger.collector.ingest;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.EventSerializer;
import dev.sixfinger.core.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events to {@code sixfinger.events}, key = host, with an idempotent {@code acks=all}
 * producer: a publish completes only after the broker has replicated every record of it.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {

  private final KafkaProducer<String, Event> producer;
  private final String topic;
  private final IngestMetrics metrics;

  public KafkaEventSink(
      String bootstrapServers,
      Map<String, String> overrides,
      Duration deliveryTimeout,
      IngestMetrics metrics) {
    this(Topics.EVENTS, producerConfig(bootstrapServers, overrides, deliveryTimeout), metrics);
  }

  KafkaEventSink(String topic, Map<String, Object> config, IngestMetrics metrics) {
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new EventSerializer());
    this.topic = topic;
    this.metrics = metrics;
    // Fetch the topic's metadata now, so the first send never blocks a network thread on it.
    producer.partitionsFor(topic);
  }

  /** The producer settings the gateway uses; the benchmark gives the same ones to its baseline. */
  public static Map<String, Object> producerConfig(
      String bootstrapServers, Map<String, String> overrides, Duration deliveryTimeout) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Larger than the gateway's in-flight bound, so send() never blocks on a full buffer.
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    int deliveryMs = (int) deliveryTimeout.toMillis();
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(deliveryMs - 10, 10_000));
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "sixfinger-ingest");
    c.putAll(overrides);
    return c;
  }

  @Override
  public CompletableFuture<Void> publish(List<Event> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (events.isEmpty()) {
      done.complete(null);
      return done;
    }
    AtomicInteger remaining = new AtomicInteger(events.size());
    AtomicReference<Exception> firstError = new AtomicReference<>();
    for (Event event : events) {
      try {
        producer.send(
            new ProducerRecord<>(topic, event.host(), event),
            (meta, error) -> finishOne(done, remaining, firstError, error));
      } catch (RuntimeException e) {
        // send() itself refused: metadata unavailable within max.block.ms, producer closed, ...
        finishOne(done, remaining, firstError, e);
      }
    }
    return done;
  }

  private void finishOne(
      CompletableFuture<Void> done,
      AtomicInteger remaining,
      AtomicReference<Exception> firstError,
      Exception error) {
    if (error != null) {
      firstError.compareAndSet(null, error);
      metrics.eventsFailed.increment();
    } else {
      metrics.eventsAccepted.increment();
    }
    if (remaining.decrementAndGet() == 0) {
      Exception e = firstError.get();
      if (e == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(
            new IllegalStateException(
                "Kafka did not acknowledge the events, resend them: "
                    + e.getClass().getSimpleName()
                    + ": "
                    + e.getMessage(),
                e));
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
