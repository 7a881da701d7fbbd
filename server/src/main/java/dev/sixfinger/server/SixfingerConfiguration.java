package dev.sixfinger.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.server.alerting.AlertingFactory;
import dev.sixfinger.server.config.IngestFactory;
import dev.sixfinger.server.config.KafkaFactory;
import dev.sixfinger.server.index.IndexFactory;
import dev.sixfinger.server.indexer.ElasticsearchFactory;
import dev.sixfinger.server.rules.RulesFactory;
import dev.sixfinger.server.scheduler.SchedulerFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** {@code config/sixfinger.yml}; every key has a default, documented in the README. */
public class SixfingerConfiguration extends Configuration {

  @Valid @NotNull @JsonProperty private KafkaFactory kafka = new KafkaFactory();

  @Valid @NotNull @JsonProperty private IngestFactory ingest = new IngestFactory();

  @Valid @NotNull @JsonProperty private IndexFactory index = new IndexFactory();
  @Valid @NotNull @JsonProperty private RulesFactory rules = new RulesFactory();

  @Valid @NotNull @JsonProperty private SchedulerFactory scheduler = new SchedulerFactory();

  @Valid @NotNull @JsonProperty
  private ElasticsearchFactory elasticsearch = new ElasticsearchFactory();

  @Valid @NotNull @JsonProperty private AlertingFactory alerting = new AlertingFactory();

  public AlertingFactory getAlerting() {
    return alerting;
  }

  public KafkaFactory getKafka() {
    return kafka;
  }

  public IngestFactory getIngest() {
    return ingest;
  }

  public ElasticsearchFactory getElasticsearch() {
    return elasticsearch;
  }

  public RulesFactory getRules() {
    return rules;
  }

  public SchedulerFactory getScheduler() {
    return scheduler;
  }

  public IndexFactory getIndex() {
    return index;
  }
}
