package dev.sixfinger.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.server.SixfingerConfiguration;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.File;
import org.junit.jupiter.api.Test;

/** The configuration file the README points to parses, validates, and states the defaults. */
class ShippedConfigTest {

  @Test
  void shippedConfigurationMatchesTheDefaults() throws Exception {
    SixfingerConfiguration shipped =
        new YamlConfigurationFactory<>(
                SixfingerConfiguration.class,
                Validators.newValidator(),
                Jackson.newObjectMapper(),
                "dw")
            .build(new File("../config/sixfinger.yml"));
    SixfingerConfiguration defaults = new SixfingerConfiguration();

    assertThat(shipped.getKafka().isEmbedded()).isTrue();
    assertThat(shipped.getKafka().getDataDir()).isEqualTo(defaults.getKafka().getDataDir());
    assertThat(shipped.getKafka().getEmbeddedPort())
        .isEqualTo(defaults.getKafka().getEmbeddedPort());
    assertThat(shipped.getKafka().getDeliveryTimeout())
        .isEqualTo(defaults.getKafka().getDeliveryTimeout());
    assertThat(shipped.getIngest().toSettings()).isEqualTo(defaults.getIngest().toSettings());
    assertThat(shipped.getIndex().defaultTtl()).isEqualTo(defaults.getIndex().defaultTtl());
    assertThat(shipped.getIndex().replayWindow()).isEqualTo(defaults.getIndex().replayWindow());
    assertThat(shipped.getScheduler().enabled()).isTrue();
    assertThat(shipped.getScheduler().toConfig()).isEqualTo(defaults.getScheduler().toConfig());
    assertThat(shipped.getScheduler().group()).isEqualTo(defaults.getScheduler().group());
    assertThat(shipped.getScheduler().cycleInterval())
        .isEqualTo(defaults.getScheduler().cycleInterval());
    assertThat(shipped.getScheduler().snapshotInterval())
        .isEqualTo(defaults.getScheduler().snapshotInterval());
    assertThat(shipped.getScheduler().capacityLookback())
        .isEqualTo(defaults.getScheduler().capacityLookback());
    assertThat(shipped.getScheduler().requestTimeout())
        .isEqualTo(defaults.getScheduler().requestTimeout());
    assertThat(shipped.getScheduler().maxQueuedCommands())
        .isEqualTo(defaults.getScheduler().maxQueuedCommands());
    var alerting = shipped.getAlerting();
    var alertingDefaults = defaults.getAlerting();
    assertThat(alerting.enabled()).isEqualTo(alertingDefaults.enabled()).isTrue();
    assertThat(alerting.configFile()).isEqualTo(alertingDefaults.configFile());
    assertThat(alerting.group()).isEqualTo(alertingDefaults.group());
    assertThat(alerting.tickInterval()).isEqualTo(alertingDefaults.tickInterval());
    assertThat(alerting.consoleUrl()).isEqualTo(alertingDefaults.consoleUrl()).isNull();
    assertThat(alerting.pagerDutyUrl()).isEqualTo(alertingDefaults.pagerDutyUrl());
    assertThat(alerting.pagerDutyBurst()).isEqualTo(alertingDefaults.pagerDutyBurst());
    assertThat(alerting.pagerDutyPerMinute()).isEqualTo(alertingDefaults.pagerDutyPerMinute());
    assertThat(alerting.silenceRetention()).isEqualTo(alertingDefaults.silenceRetention());
    assertThat(shipped.getElasticsearch().enabled()).isFalse();
    shipped.getElasticsearch().setHosts(java.util.List.of("http://localhost:9200"));
    defaults.getElasticsearch().setHosts(java.util.List.of("http://localhost:9200"));
    assertThat(shipped.getElasticsearch().toSettings())
        .isEqualTo(defaults.getElasticsearch().toSettings());
    assertThat(shipped.getElasticsearch().retentionInterval())
        .isEqualTo(defaults.getElasticsearch().retentionInterval());
  }
}
