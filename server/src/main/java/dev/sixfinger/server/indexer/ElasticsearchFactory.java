package dev.sixfinger.server.indexer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.indexer.document.Dataset;
import dev.sixfinger.indexer.pipeline.IndexerSettings;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code elasticsearch} section: where the indexer writes. With no {@code hosts} the server
 * runs no indexer. Every default is in config/sixfinger.yml and the README.
 */
public class ElasticsearchFactory {
  @JsonProperty @NotNull private List<String> hosts = new ArrayList<>();
  @JsonProperty @NotEmpty private String indexPrefix = "sixfinger";
  @JsonProperty @NotEmpty private String group = "sixfinger-indexer";

  @JsonProperty
  @Min(1)
  @Max(100_000)
  private int bulkMaxDocs = 5_000;

  @JsonProperty @NotNull private DataSize bulkMaxBytes = DataSize.mebibytes(5);

  @JsonProperty
  @Min(1)
  @Max(64)
  private int concurrency = 2;

  @JsonProperty @NotNull private Duration linger = Duration.seconds(1);

  @JsonProperty
  @Min(0)
  private int replicas = 1;

  @JsonProperty
  @Min(1)
  private int totalFieldsLimit = 1_000;

  @JsonProperty
  @Min(0)
  private int retentionDays = 30;

  @JsonProperty @NotNull private Duration retentionInterval = Duration.hours(1);
  @JsonProperty @NotNull private Duration requestTimeout = Duration.seconds(60);

  public boolean enabled() {
    return !hosts.isEmpty();
  }

  public List<String> getHosts() {
    return hosts;
  }

  public void setHosts(List<String> hosts) {
    this.hosts = new ArrayList<>(hosts);
  }

  public void setIndexPrefix(String indexPrefix) {
    this.indexPrefix = indexPrefix;
  }

  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  public void setLinger(Duration linger) {
    this.linger = linger;
  }

  public java.time.Duration retentionInterval() {
    return java.time.Duration.ofMillis(Math.max(1_000, retentionInterval.toMilliseconds()));
  }

  public java.time.Duration requestTimeout() {
    return java.time.Duration.ofMillis(requestTimeout.toMilliseconds());
  }

  public IndexerSettings toSettings() {
    return new IndexerSettings(
        hosts,
        group,
        Arrays.asList(Dataset.values()),
        indexPrefix,
        bulkMaxDocs,
        bulkMaxBytes.toBytes(),
        concurrency,
        java.time.Duration.ofMillis(linger.toMilliseconds()),
        replicas,
        totalFieldsLimit,
        retentionDays,
        java.time.Duration.ofMillis(100),
        java.time.Duration.ofSeconds(30));
  }
}
