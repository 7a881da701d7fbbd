package dev.sixfinger.server.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Turns the logging of Kafka and of the Elasticsearch client down to WARN in tests. Without a
 * logback configuration the root level is DEBUG, and a broker at DEBUG writes megabytes per second
 * and slows the tests down.
 */
public final class KafkaTestLogging {
  private KafkaTestLogging() {}

  public static void quiet() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      for (String name :
          new String[] {
            "kafka",
            "org.apache.kafka",
            "state.change.logger",
            "org.apache.http",
            "org.elasticsearch"
          }) {
        context.getLogger(name).setLevel(Level.WARN);
      }
    }
  }
}
