package dev.sixfinger.server.cli;

import dev.sixfinger.indexer.pipeline.Indexer;
import dev.sixfinger.server.SixfingerConfiguration;
import dev.sixfinger.server.indexer.ElasticsearchFactory;
import dev.sixfinger.server.indexer.IndexerService;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./sixfinger indexer [CONFIG]}: only the indexer, so that it can scale out as a consumer
 * group beside the servers. Reads the {@code kafka} and {@code elasticsearch} sections of the
 * configuration; options override them.
 */
public final class IndexerCommand extends ConfiguredCommand<SixfingerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(IndexerCommand.class);

  public IndexerCommand() {
    super(
        "indexer",
        "Copy sixfinger.events, alerts, health and scheduler records from Kafka into"
            + " Elasticsearch (daily indices); runs until stopped");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--elasticsearch")
        .metavar("URL")
        .nargs("+")
        .help("Elasticsearch URLs (default: elasticsearch.hosts in the configuration)");
    subparser
        .addArgument("--bootstrap")
        .metavar("HOST:PORT")
        .help(
            "Kafka to read from (default: kafka.bootstrapServers, else the embedded broker of a"
                + " server on this machine, localhost:EMBEDDED_PORT)");
  }

  @Override
  protected void run(
      Bootstrap<SixfingerConfiguration> bootstrap, Namespace ns, SixfingerConfiguration config)
      throws Exception {
    CommandLogging.progressToConsole();
    // Kafka's clients log every failed connection attempt; the progress line says it once a while.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    ElasticsearchFactory es = config.getElasticsearch();
    List<String> urls = ns.getList("elasticsearch");
    if (urls != null && !urls.isEmpty()) {
      es.setHosts(urls);
    }
    if (!es.enabled()) {
      System.err.println(
          "No Elasticsearch to write to: set elasticsearch.hosts in the configuration or pass"
              + " --elasticsearch http://HOST:9200");
      System.exit(2);
      return;
    }
    String bootstrapServers = ns.getString("bootstrap");
    if (bootstrapServers == null) {
      bootstrapServers = config.getKafka().getBootstrapServers();
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      bootstrapServers = "localhost:" + config.getKafka().getEmbeddedPort();
    }
    IndexerService service = new IndexerService(es, bootstrapServers);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.stop();
                  } catch (Exception e) {
                    LOG.warn("indexer did not stop cleanly: {}", e.toString());
                  } finally {
                    stopped.countDown();
                  }
                },
                "indexer-stop"));
    service.start();
    LOG.info("Reading Kafka at {}; progress every 10 seconds; Ctrl-C stops", bootstrapServers);
    long last = 0;
    while (stopped.getCount() > 0) {
      if (stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        break;
      }
      Indexer.Status s = service.status();
      if (s != null) {
        LOG.info(
            "stored {} documents (+{}), {} dead-lettered, {} batches in flight{}{}",
            s.stored(),
            s.stored() - last,
            s.deadLettered(),
            s.batchesInFlight(),
            s.paused() ? ", paused: Elasticsearch is behind" : "",
            s.templatesInstalled() ? "" : ", waiting for Elasticsearch: " + s.lastProblem());
        last = s.stored();
      }
    }
  }
}
