package dev.sixfinger.server.rules;

import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A broker for the engine's tests, with the topics (3 event partitions), and a raw producer. */
final class RulesTestKafka {
  private RulesTestKafka() {}

  static EmbeddedKafka.Settings settings(Path dir) {
    try (ServerSocket s = new ServerSocket(0)) {
      return EmbeddedKafka.Settings.defaults()
          .withDataDir(dir.resolve("kafka"))
          .withPort(s.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the broker and creates the topics. */
  static EmbeddedKafka start(EmbeddedKafka.Settings settings) throws Exception {
    EmbeddedKafka kafka = new EmbeddedKafka(settings);
    kafka.start();
    new TopicAdmin(
            kafka.bootstrapServers(),
            TopicAdmin.Settings.defaults().withEventsPartitions(3).withPartitions(1))
        .ensureTopics();
    return kafka;
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            // On a loaded machine a slow answer must not become a resend the broker cannot place.
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            120_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            300_000),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
