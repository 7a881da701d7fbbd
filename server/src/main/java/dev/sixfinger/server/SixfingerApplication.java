package dev.sixfinger.server;

import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestMetrics;
import dev.sixfinger.collector.ingest.IngestSettings;
import dev.sixfinger.collector.ingest.KafkaEventSink;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.index.Index;
import dev.sixfinger.server.agent.AgentCommand;
import dev.sixfinger.server.alerting.AlertingFactory;
import dev.sixfinger.server.alerting.AlertingResource;
import dev.sixfinger.server.alerting.AlertingService;
import dev.sixfinger.server.cli.CheckRulesCommand;
import dev.sixfinger.server.cli.DashboardsCommand;
import dev.sixfinger.server.cli.IndexerCommand;
import dev.sixfinger.server.cli.ReplayCommand;
import dev.sixfinger.server.cli.SimulateSchedulerCommand;
import dev.sixfinger.server.cli.TestRulesCommand;
import dev.sixfinger.server.console.ConsoleResource;
import dev.sixfinger.server.index.IndexFactory;
import dev.sixfinger.server.index.IndexResource;
import dev.sixfinger.server.index.IndexService;
import dev.sixfinger.server.indexer.IndexerService;
import dev.sixfinger.server.ingest.EventsResource;
import dev.sixfinger.server.ingest.IngestService;
import dev.sixfinger.server.rules.RulesFactory;
import dev.sixfinger.server.rules.RulesResource;
import dev.sixfinger.server.rules.RulesService;
import dev.sixfinger.server.scheduler.SchedulerExceptionMappers;
import dev.sixfinger.server.scheduler.SchedulerResource;
import dev.sixfinger.server.scheduler.SchedulerService;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import java.time.Duration;

/** Sixfinger's server: wires the modules together behind Dropwizard. */
public class SixfingerApplication extends Application<SixfingerConfiguration> {
  private KafkaService kafka;
  private IngestService ingest;
  private IndexService index;
  private IndexerService indexer;
  private SchedulerService scheduler;
  private AlertingService alerting;

  public static void main(String[] args) throws Exception {
    new SixfingerApplication().run(ReplayCommand.joinRelativeTimes(args));
  }

  @Override
  public String getName() {
    return "sixfinger";
  }

  @Override
  public void initialize(Bootstrap<SixfingerConfiguration> bootstrap) {
    bootstrap.addCommand(new AgentCommand());
    bootstrap.addCommand(new CheckRulesCommand());
    bootstrap.addCommand(new TestRulesCommand());
    bootstrap.addCommand(new ReplayCommand());
    bootstrap.addCommand(new IndexerCommand());
    bootstrap.addCommand(new SimulateSchedulerCommand());
    bootstrap.addCommand(new DashboardsCommand());
  }

  @Override
  public void run(SixfingerConfiguration config, Environment environment) {
    kafka = KafkaService.start(config.getKafka());
    environment.lifecycle().manage(kafka);
    KafkaHealthCheck kafkaHealth = new KafkaHealthCheck(kafka.bootstrapServers());
    environment.lifecycle().manage(new AutoCloseableManager(kafkaHealth));
    environment.healthChecks().register("kafka", kafkaHealth);

    IngestSettings ingestSettings = config.getIngest().toSettings();
    IngestMetrics metrics = new IngestMetrics();
    KafkaEventSink sink =
        new KafkaEventSink(
            kafka.bootstrapServers(),
            config.getKafka().getProducer(),
            Duration.ofMillis(config.getKafka().getDeliveryTimeout().toMilliseconds()),
            metrics);
    // The index: fed from sixfinger.events, queried over Riemann TCP and HTTP.
    IndexFactory indexConfig = config.getIndex();
    index =
        new IndexService(
            new Index(
                Clock.system(), indexConfig.defaultTtl(), indexConfig.subscriberQueue(), null),
            kafka.bootstrapServers(),
            indexConfig,
            Clock.system());
    environment.lifecycle().manage(index);
    index.registerMetrics(environment.metrics());
    environment.healthChecks().register("index", index.healthCheck());
    IndexResource indexResource = new IndexResource(index.index(), indexConfig.streamHeartbeat());
    environment.lifecycle().manage(new AutoCloseableManager(indexResource));
    environment.jersey().register(indexResource);

    // The rules engine: sixfinger.events in, sixfinger.alerts and sixfinger.health out.
    RulesFactory rulesConfig = config.getRules();
    if (rulesConfig.enabled()) {
      RulesService rules = new RulesService(rulesConfig, kafka.bootstrapServers());
      environment.lifecycle().manage(rules);
      environment.healthChecks().register("rules", rules.healthCheck());
      environment.jersey().register(new RulesResource(rules));
    }

    // The scheduler: sixfinger.health and the agents' capacity in, sixfinger.scheduler out.
    if (config.getScheduler().enabled()) {
      scheduler =
          new SchedulerService(
              config.getScheduler(),
              kafka.bootstrapServers(),
              config.getKafka().getProducer(),
              Duration.ofMillis(config.getKafka().getDeliveryTimeout().toMilliseconds()),
              Clock.system());
      environment.lifecycle().manage(scheduler);
      scheduler.registerMetrics(environment.metrics());
      environment.healthChecks().register("scheduler", scheduler.healthCheck());
      environment.jersey().register(new SchedulerResource(scheduler));
      SchedulerExceptionMappers.all().forEach(environment.jersey()::register);
    }

    // Alerting: sixfinger.alerts in, pages out; the leader of alerting.group sends.
    AlertingFactory alertingConfig = config.getAlerting();
    if (alertingConfig.enabled()) {
      alerting =
          new AlertingService(
              alertingConfig, kafka.bootstrapServers(), config.getKafka().getProducer());
      environment.lifecycle().manage(alerting);
      alerting.registerMetrics(environment.metrics());
      environment.healthChecks().register("alerting", alerting.healthCheck());
      environment.jersey().register(new AlertingResource(alerting));
    }

    // The indexer: every topic into Elasticsearch, when one is configured.
    if (config.getElasticsearch().enabled()) {
      indexer = new IndexerService(config.getElasticsearch(), kafka.bootstrapServers());
      environment.lifecycle().manage(indexer);
      indexer.registerMetrics(environment.metrics());
      environment.healthChecks().register("indexer", indexer.healthCheck());
    }

    IngestGateway gateway = new IngestGateway(ingestSettings, sink, index, metrics, Clock.system());
    ingest = new IngestService(gateway, sink);
    environment.lifecycle().manage(ingest);
    ingest.registerMetrics(environment.metrics());
    environment.healthChecks().register("ingest", ingest.healthCheck());
    environment.jersey().register(new EventsResource(gateway, ingestSettings.maxFrameBytes()));

    // The web console (dashboards/console/) at /, beside the API.
    environment.jersey().register(new ConsoleResource());
  }

  /** The Kafka cluster in use, once running; for tests and tools in the same process. */
  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  public IngestMetrics ingestMetrics() {
    return ingest.gateway().metrics();
  }

  /** The index of latest events, once running. */
  public Index index() {
    return index.index();
  }

  /** The indexer, when elasticsearch.hosts is configured; else null. */
  public IndexerService indexer() {
    return indexer;
  }

  /** The scheduler, when scheduler.enabled; else null. */
  public SchedulerService scheduler() {
    return scheduler;
  }

  /** Alerting, when alerting.enabled; else null. */
  public AlertingService alerting() {
    return alerting;
  }

  /** The Riemann TCP/UDP port actually bound, once running. */
  public int ingestPort() {
    return ingest.gateway().port();
  }
}
