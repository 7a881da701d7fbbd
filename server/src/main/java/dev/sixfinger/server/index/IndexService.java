package dev.sixfinger.server.index;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.sixfinger.collector.ingest.QueryService;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.EventDeserializer;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.query.QueryParseException;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.index.Index;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Index} fed from {@code sixfinger.events} and answers queries from it: Riemann
 * {@code Msg.query} over TCP (as the gateway's {@link QueryService}) and, through {@link
 * IndexResource}, HTTP.
 *
 * <p>One thread of its own is the index's only writer: it polls Kafka, applies each event with
 * {@link Index#update} and calls {@link Index#expire()} every {@code index.expireInterval}.
 *
 * <p>Every server needs the whole index, so the consumer is not a group member: it is assigned
 * every partition of the topic and commits nothing. On start it seeks, with offsetsForTimes, to the
 * first record of the last {@code index.replayWindow} (twice the default ttl unless set): a
 * restarted server rebuilds what is still live from the log, and replays nothing older. Replayed
 * events whose deadline has passed are indexed and leave on the next expiry, as expired events.
 * Partitions added to the topic while the server runs are picked up on its next start.
 */
public final class IndexService implements Managed, QueryService {
  private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Index index;
  private final String bootstrapServers;
  private final IndexFactory config;
  private final Clock clock;
  private final ExecutorService queries;

  private final AtomicLong undecodable = new AtomicLong();
  private volatile long lag = -1;
  private volatile boolean caughtUp;
  private volatile Throwable failure;
  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<byte[], Event> consumer;

  public IndexService(Index index, String bootstrapServers, IndexFactory config, Clock clock) {
    this.index = index;
    this.bootstrapServers = bootstrapServers;
    this.config = config;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.queries =
        Executors.newFixedThreadPool(
            config.queryThreads(),
            task -> {
              Thread t = new Thread(task, "index-query-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public Index index() {
    return index;
  }

  @Override
  public void start() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sixfinger-index");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only what the gateway acknowledged: it may write in transactions.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new EventDeserializer());
    running = true;
    thread = new Thread(this::run, "index-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
    queries.shutdown();
    index.close();
  }

  /** Parses and answers a query off the caller's thread; a bad query fails with its position. */
  @Override
  public CompletableFuture<List<Event>> query(String text) {
    Query query;
    try {
      query = Query.parse(text);
    } catch (QueryParseException e) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "bad query: " + e.reason() + " at column " + (e.position() + 1)));
    }
    return CompletableFuture.supplyAsync(() -> index.query(query), queries);
  }

  private void run() {
    try {
      assignAndSeek();
      long nextExpiry = System.nanoTime() + config.expireInterval().toNanos();
      while (running) {
        poll();
        if (System.nanoTime() - nextExpiry >= 0) {
          index.expire();
          nextExpiry = System.nanoTime() + config.expireInterval().toNanos();
        }
        updateLag();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
        LOG.error("The index consumer was woken up while running", e);
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("The index stopped reading {}: queries answer from what it held", Topics.EVENTS, e);
    } finally {
      consumer.close();
    }
  }

  private void assignAndSeek() {
    List<PartitionInfo> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(60));
    List<TopicPartition> assigned =
        partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(assigned);
    Duration window = config.replayWindow();
    long from = clock.nowMicros() / 1000 - window.toMillis();
    Map<TopicPartition, Long> times = new HashMap<>();
    assigned.forEach(tp -> times.put(tp, from));
    Map<TopicPartition, OffsetAndTimestamp> offsets =
        consumer.offsetsForTimes(times, Duration.ofSeconds(60));
    for (TopicPartition tp : assigned) {
      OffsetAndTimestamp at = offsets.get(tp);
      if (at == null) {
        consumer.seekToEnd(List.of(tp)); // nothing as recent as the window
      } else {
        consumer.seek(tp, at.offset());
      }
    }
    LOG.info(
        "Index reading {} partitions of {} from {} ago", assigned.size(), Topics.EVENTS, window);
  }

  private void poll() {
    try {
      for (ConsumerRecord<byte[], Event> record : consumer.poll(POLL)) {
        if (record.value() != null) {
          index.update(record.value());
        }
      }
    } catch (RecordDeserializationException e) {
      // Not an event: skip that one record, keep the rest.
      undecodable.incrementAndGet();
      LOG.warn("Skipping record {} of {}: {}", e.offset(), e.topicPartition(), e.getMessage());
      consumer.seek(e.topicPartition(), e.offset() + 1);
    }
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong l = consumer.currentLag(tp);
      if (l.isEmpty()) {
        return; // not known yet for every partition: keep the last figure
      }
      total += l.getAsLong();
    }
    lag = total;
    if (total == 0 && !caughtUp) {
      caughtUp = true;
      LOG.info("Index caught up with {}: {} entries", Topics.EVENTS, index.size());
    }
  }

  /** Events the consumer is behind the end of the log, or -1 before it knows. */
  public long lag() {
    return lag;
  }

  public void registerMetrics(MetricRegistry registry) {
    registry.register("sixfinger.index.size", (Gauge<Integer>) index::size);
    registry.register("sixfinger.index.updates", (Gauge<Long>) index::updateCount);
    registry.register("sixfinger.index.expired", (Gauge<Long>) index::expiredCount);
    registry.register("sixfinger.index.subscriptions", (Gauge<Integer>) index::subscriptionCount);
    registry.register("sixfinger.index.consumer.lag", (Gauge<Long>) this::lag);
    registry.register("sixfinger.index.consumer.undecodable", (Gauge<Long>) undecodable::get);
  }

  /** Unhealthy once the consumer has stopped: the index then only ages. */
  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        Throwable f = failure;
        if (f != null) {
          return Result.unhealthy("not reading %s any more: %s", Topics.EVENTS, f.toString());
        }
        return Result.healthy(
            "%d entries, %s, %d events behind",
            index.size(), caughtUp ? "caught up" : "replaying the log", lag);
      }
    };
  }
}
