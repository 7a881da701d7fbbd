package dev.sixfinger.server;

import com.codahale.metrics.health.HealthCheck;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Healthy while the Kafka cluster answers a metadata request within a few seconds. */
final class KafkaHealthCheck extends HealthCheck implements AutoCloseable {
  private final Admin admin;
  private final String bootstrapServers;

  KafkaHealthCheck(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "sixfinger-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000));
  }

  @Override
  protected Result check() throws Exception {
    try {
      int brokers =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
              .nodes()
              .get(4, TimeUnit.SECONDS)
              .size();
      return Result.healthy("%d broker(s) at %s", brokers, bootstrapServers);
    } catch (Exception e) {
      return Result.unhealthy("Kafka at %s does not answer: %s", bootstrapServers, e.toString());
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
