package dev.sixfinger.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code kafka:} section. Without bootstrapServers, an embedded broker is started. */
public class KafkaFactory {

  /** An existing cluster, e.g. {@code kafka1:9092,kafka2:9092}; empty = embedded broker. */
  @JsonProperty private String bootstrapServers;

  /** Where the embedded broker keeps its log. */
  @JsonProperty @NotNull private String dataDir = "data/kafka";

  /** Port of the embedded broker, for kcat and other Kafka clients; 0 picks a free one. */
  @JsonProperty
  @Min(0)
  @Max(65535)
  private int embeddedPort = 9092;

  /** Partitions of sixfinger.events when it is created. */
  @JsonProperty
  @Min(1)
  private int eventPartitions = 6;

  /** Partitions of the other topics when they are created. */
  @JsonProperty
  @Min(1)
  private int otherPartitions = 3;

  /** How long sixfinger.events keeps events. */
  @JsonProperty @NotNull private Duration eventRetention = Duration.days(7);

  /** How long the gateway waits for Kafka before telling a client its events were not stored. */
  @JsonProperty @NotNull private Duration deliveryTimeout = Duration.seconds(30);

  /** Extra producer settings, passed to the Kafka client as they are. */
  @JsonProperty @NotNull private Map<String, String> producer = new LinkedHashMap<>();

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Derived, not a setting: kept out of the JSON form, which commands without a file parse. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmbedded() {
    return bootstrapServers == null || bootstrapServers.isBlank();
  }

  public String getDataDir() {
    return dataDir;
  }

  public void setDataDir(String dataDir) {
    this.dataDir = dataDir;
  }

  public int getEmbeddedPort() {
    return embeddedPort;
  }

  public void setEmbeddedPort(int embeddedPort) {
    this.embeddedPort = embeddedPort;
  }

  public int getEventPartitions() {
    return eventPartitions;
  }

  public int getOtherPartitions() {
    return otherPartitions;
  }

  public Duration getEventRetention() {
    return eventRetention;
  }

  public Duration getDeliveryTimeout() {
    return deliveryTimeout;
  }

  public void setDeliveryTimeout(Duration deliveryTimeout) {
    this.deliveryTimeout = deliveryTimeout;
  }

  public Map<String, String> getProducer() {
    return producer;
  }
}
