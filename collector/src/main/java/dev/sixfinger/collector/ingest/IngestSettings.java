package dev.sixfinger.collector.ingest;

/**
 * How the ingest gateway listens and how much it holds.
 *
 * @param host address to bind, default {@code 0.0.0.0}
 * @param port Riemann TCP and UDP port, default 5555 (0 picks a free port, for tests)
 * @param udpEnabled whether to listen for Riemann UDP datagrams on the same port
 * @param maxFrameBytes largest TCP message accepted, default 16 MiB
 * @param maxInflightBytes bytes of messages read but not yet acknowledged by Kafka, summed over all
 *     connections; above it the gateway stops reading from sockets, default 64 MiB
 * @param defaultTtlSeconds ttl given to events that have none, default 60
 * @param ioThreads Netty event loop threads, default the number of cores
 */
public record IngestSettings(
    String host,
    int port,
    boolean udpEnabled,
    int maxFrameBytes,
    long maxInflightBytes,
    float defaultTtlSeconds,
    int ioThreads) {

  public static final int DEFAULT_PORT = 5555;
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  public static final long DEFAULT_MAX_INFLIGHT_BYTES = 64L * 1024 * 1024;
  public static final float DEFAULT_TTL_SECONDS = 60f;

  public IngestSettings {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
    }
    if (maxInflightBytes < maxFrameBytes) {
      throw new IllegalArgumentException(
          "maxInflightBytes ("
              + maxInflightBytes
              + ") must be at least maxFrameBytes ("
              + maxFrameBytes
              + ") or a single large message could never be accepted");
    }
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads must be positive, got " + ioThreads);
    }
  }

  public static IngestSettings defaults() {
    return new IngestSettings(
        "0.0.0.0",
        DEFAULT_PORT,
        true,
        DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_MAX_INFLIGHT_BYTES,
        DEFAULT_TTL_SECONDS,
        Runtime.getRuntime().availableProcessors());
  }

  public IngestSettings withPort(int newPort) {
    return new IngestSettings(
        host, newPort, udpEnabled, maxFrameBytes, maxInflightBytes, defaultTtlSeconds, ioThreads);
  }

  public IngestSettings withHost(String newHost) {
    return new IngestSettings(
        newHost, port, udpEnabled, maxFrameBytes, maxInflightBytes, defaultTtlSeconds, ioThreads);
  }
}
