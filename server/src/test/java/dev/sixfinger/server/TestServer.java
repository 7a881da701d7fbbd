package dev.sixfinger.server;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real server, started in this JVM with the test configuration and a given data dir. */
public final class TestServer implements AutoCloseable {
  private final DropwizardTestSupport<SixfingerConfiguration> support;

  private TestServer(DropwizardTestSupport<SixfingerConfiguration> support) {
    this.support = support;
  }

  /** Starts with an embedded broker keeping its log in {@code dataDir}. */
  public static TestServer embedded(Path dataDir, ConfigOverride... extra) throws Exception {
    List<ConfigOverride> overrides = new ArrayList<>();
    overrides.add(ConfigOverride.config("kafka.dataDir", dataDir.resolve("kafka").toString()));
    overrides.addAll(List.of(extra));
    return start(overrides);
  }

  /** Starts against an existing Kafka cluster. */
  public static TestServer external(String bootstrapServers, ConfigOverride... extra)
      throws Exception {
    List<ConfigOverride> overrides = new ArrayList<>();
    overrides.add(ConfigOverride.config("kafka.bootstrapServers", bootstrapServers));
    overrides.addAll(List.of(extra));
    return start(overrides);
  }

  private static TestServer start(List<ConfigOverride> overrides) throws Exception {
    DropwizardTestSupport<SixfingerConfiguration> support =
        new DropwizardTestSupport<>(
            SixfingerApplication.class,
            ResourceHelpers.resourceFilePath("test-server.yml"),
            overrides.toArray(new ConfigOverride[0]));
    support.before();
    return new TestServer(support);
  }

  public SixfingerApplication app() {
    return support.getApplication();
  }

  public int riemannPort() {
    return app().ingestPort();
  }

  public String bootstrapServers() {
    return app().kafkaBootstrapServers();
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + support.getLocalPort();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + support.getAdminPort();
  }

  @Override
  public void close() {
    support.after();
  }
}
