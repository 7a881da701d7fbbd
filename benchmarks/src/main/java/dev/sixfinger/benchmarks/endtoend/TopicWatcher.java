package dev.sixfinger.benchmarks.endtoend;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A plain read_committed consumer of one topic on a thread of its own: every partition, from its
 * end at start, no group; each record goes to the handler with the time its poll returned.
 */
final class TopicWatcher implements AutoCloseable {

  /** Called on the watcher's thread. */
  interface Handler {
    void record(ConsumerRecord<byte[], byte[]> record, long seenNanos);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong records = new AtomicLong();
  private volatile boolean running = true;

  TopicWatcher(String bootstrap, String topic, Map<String, Object> overrides, Handler handler) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "e2e-watch-" + topic);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread =
        new Thread(
            () -> {
              try {
                List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                for (TopicPartition tp : partitions) {
                  consumer.position(tp, Duration.ofSeconds(30)); // resolve the seek now
                }
                ready.countDown();
                while (running) {
                  ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                  long now = System.nanoTime();
                  for (ConsumerRecord<byte[], byte[]> r : polled) {
                    handler.record(r, now);
                  }
                  records.addAndGet(polled.count());
                }
              } catch (WakeupException e) {
                // close()
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              } finally {
                ready.countDown();
                consumer.close(Duration.ofSeconds(5));
              }
            },
            "e2e-watch-" + topic);
    thread.setDaemon(true);
  }

  /** Starts, and returns once the consumer is positioned at the end of every partition. */
  void start() throws InterruptedException {
    thread.start();
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(thread.getName() + " did not get ready within 60 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException(thread.getName() + " failed", failure.get());
    }
  }

  long records() {
    return records.get();
  }

  Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
