package dev.sixfinger.server.kafka;

import dev.sixfinger.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmbeddedKafkaIT}: starts an embedded broker on a directory, produces
 * one record, writes a marker file, and waits to be killed with SIGKILL.
 *
 * <p>Arguments: data directory, marker file, record key, record value.
 */
final class KilledKafkaMain {
  private KilledKafkaMain() {}

  public static void main(String[] args) throws Exception {
    KafkaTestLogging.quiet();
    Path dataDir = Path.of(args[0]);
    Path marker = Path.of(args[1]);
    // Deliberately not closed: the parent kills this process to simulate a crash.
    EmbeddedKafka kafka =
        new EmbeddedKafka(EmbeddedKafka.Settings.defaults().withDataDir(dataDir).withPort(0));
    kafka.start();
    new TopicAdmin(kafka.bootstrapServers(), TopicAdmin.Settings.defaults()).ensureTopics();
    KafkaTestClients.produce(kafka.bootstrapServers(), Topics.EVENTS, args[2], args[3]);
    Files.writeString(marker, kafka.bootstrapServers(), StandardCharsets.UTF_8);
    Thread.currentThread().join();
  }
}
