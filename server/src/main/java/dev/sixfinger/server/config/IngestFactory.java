package dev.sixfinger.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.collector.ingest.IngestSettings;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code ingest:} section: the Riemann TCP/UDP gateway and the HTTP event endpoint. */
public class IngestFactory {

  @JsonProperty @NotNull private String host = "0.0.0.0";

  /** Riemann TCP and UDP port; 0 picks a free one. */
  @JsonProperty
  @Min(0)
  @Max(65535)
  private int port = IngestSettings.DEFAULT_PORT;

  @JsonProperty private boolean udp = true;

  /** Largest Riemann TCP message and largest HTTP body. */
  @JsonProperty @NotNull private DataSize maxFrameSize = DataSize.mebibytes(16);

  /** Bytes read but not yet acknowledged by Kafka; above it the gateway stops reading. */
  @JsonProperty @NotNull private DataSize maxInflight = DataSize.mebibytes(64);

  /** TTL given to events that carry none. */
  @JsonProperty @NotNull private Duration defaultTtl = Duration.seconds(60);

  /** Netty event loop threads; 0 = one per core. */
  @JsonProperty
  @Min(0)
  private int ioThreads = 0;

  public IngestSettings toSettings() {
    return new IngestSettings(
        host,
        port,
        udp,
        Math.toIntExact(maxFrameSize.toBytes()),
        maxInflight.toBytes(),
        defaultTtl.toMilliseconds() / 1000f,
        ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors());
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public DataSize getMaxFrameSize() {
    return maxFrameSize;
  }

  public void setMaxFrameSize(DataSize maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }
}
