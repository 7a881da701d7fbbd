package dev.sixfinger.server.indexer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.pipeline.ElasticsearchClients;
import dev.sixfinger.indexer.pipeline.Indexer;
import dev.sixfinger.indexer.pipeline.IndexerSettings;
import dev.sixfinger.indexer.retention.Retention;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer in a process: its consumer, dead-letter producer and Elasticsearch client, the
 * indexing thread, and retention every {@code retentionInterval}.
 */
public final class IndexerService implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(IndexerService.class);

  private final ElasticsearchFactory config;
  private final String bootstrapServers;
  private final IndexerSettings settings;
  private ElasticsearchClient client;
  private KafkaProducer<byte[], byte[]> producer;
  private Indexer indexer;
  private Thread thread;
  private ScheduledExecutorService retention;

  public IndexerService(ElasticsearchFactory config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.settings = config.toSettings();
  }

  @Override
  public void start() {
    client = ElasticsearchClients.create(settings.hosts(), config.requestTimeout());
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.CLIENT_ID_CONFIG,
                settings.group() + "-dlq"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                settings.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // A new indexer stores the whole retained log, so nothing before it is missing.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // Alerts and health are written in transactions: never index an aborted one.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2_000,
                ConsumerConfig.CLIENT_ID_CONFIG,
                settings.group()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    indexer = new Indexer(settings, consumer, producer, client, Clock.system());
    thread = new Thread(indexer, "sixfinger-indexer");
    thread.setDaemon(true);
    thread.start();
    LOG.info(
        "Indexer writing {} to Elasticsearch at {}",
        settings.datasets(),
        String.join(", ", settings.hosts()));
    if (settings.retentionDays() > 0) {
      retention =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sixfinger-indexer-retention");
                t.setDaemon(true);
                return t;
              });
      Retention r =
          new Retention(client, new IndexNames(settings.indexPrefix()), settings.retentionDays());
      long every = config.retentionInterval().toMillis();
      retention.scheduleWithFixedDelay(() -> applyRetention(r), 0, every, TimeUnit.MILLISECONDS);
    }
  }

  private static void applyRetention(Retention r) {
    try {
      r.run(LocalDate.now(ZoneOffset.UTC));
    } catch (IOException | RuntimeException e) {
      LOG.warn("retention could not run, it will try again: {}", e.toString());
    }
  }

  @Override
  public void stop() throws Exception {
    if (retention != null) {
      retention.shutdownNow();
    }
    if (indexer != null) {
      indexer.close();
      thread.join(30_000);
    }
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
    if (client != null) {
      client._transport().close();
    }
  }

  public Indexer.Status status() {
    return indexer == null ? null : indexer.status();
  }

  /** Unhealthy until the templates are in, and while the indexing thread is not running. */
  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        Indexer.Status s = status();
        if (s == null || thread == null || !thread.isAlive()) {
          return Result.unhealthy("the indexer is not running");
        }
        if (!s.templatesInstalled()) {
          return Result.unhealthy(
              "waiting for Elasticsearch at " + settings.hosts() + ": " + s.lastProblem());
        }
        return Result.builder()
            .healthy()
            .withDetail("stored", s.stored())
            .withDetail("deadLettered", s.deadLettered())
            .withDetail("batchesInFlight", s.batchesInFlight())
            .withDetail("paused", s.paused())
            .build();
      }
    };
  }

  public void registerMetrics(MetricRegistry metrics) {
    gauge(metrics, "stored", Indexer.Status::stored);
    gauge(metrics, "deadLettered", Indexer.Status::deadLettered);
    gauge(metrics, "itemsRetried", Indexer.Status::itemsRetried);
    gauge(metrics, "requestsFailed", Indexer.Status::requestsFailed);
    gauge(metrics, "batchesInFlight", s -> (long) s.batchesInFlight());
  }

  private void gauge(MetricRegistry metrics, String name, Function<Indexer.Status, Long> value) {
    metrics.register(
        MetricRegistry.name("sixfinger", "indexer", name),
        (Gauge<Long>)
            () -> {
              Indexer.Status s = status();
              return s == null ? 0L : value.apply(s);
            });
  }
}
