package dev.sixfinger.server;

import dev.sixfinger.server.config.KafkaFactory;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster the server uses: the configured one, or an embedded single-node broker whose
 * log lives under {@code kafka.dataDir}. Either way the topics exist once this has started.
 */
final class KafkaService implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaService.class);

  private final EmbeddedKafka embedded;
  private final String bootstrapServers;

  private KafkaService(EmbeddedKafka embedded, String bootstrapServers) {
    this.embedded = embedded;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts the embedded broker if there is no cluster configured, and creates missing topics. */
  static KafkaService start(KafkaFactory config) {
    EmbeddedKafka embedded = null;
    String bootstrap = config.getBootstrapServers();
    if (config.isEmbedded()) {
      embedded =
          new EmbeddedKafka(
              EmbeddedKafka.Settings.defaults()
                  .withDataDir(Path.of(config.getDataDir()))
                  .withPort(config.getEmbeddedPort()));
      LOG.info("No kafka.bootstrapServers configured: starting the embedded broker");
      embedded.start();
      bootstrap = embedded.bootstrapServers();
    }
    try {
      TopicAdmin.Result topics =
          new TopicAdmin(
                  bootstrap,
                  TopicAdmin.Settings.defaults()
                      .withEventsPartitions(config.getEventPartitions())
                      .withPartitions(config.getOtherPartitions())
                      .withEventsRetention(
                          Duration.ofMillis(config.getEventRetention().toMilliseconds())))
              .ensureTopics();
      LOG.info("Kafka at {}: created {}, found {}", bootstrap, topics.created(), topics.existing());
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
    return new KafkaService(embedded, bootstrap);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void start() {
    // Started in start(KafkaFactory): the ingest path needs the address before Jetty starts.
  }

  @Override
  public void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
