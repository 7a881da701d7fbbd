package dev.sixfinger.collector.agent.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the agent sends its events.
 *
 * @param endpoints ingest servers, tried in turn: the transport stays on one until it fails, then
 *     moves to the next
 * @param batchSize most events per message, default 500
 * @param batchDelay longest time the first unsent event waits for its batch to fill, default 1 s
 * @param spoolDir directory of the on-disk spool; one agent per directory
 * @param spoolMaxBytes most bytes the spool holds before the oldest events are dropped, default 256
 *     MiB
 * @param connectTimeout longest wait for a TCP connection, default 5 s
 * @param replyTimeout longest wait for the reply to a message, default 10 s (the server answers
 *     only once Kafka has stored the events)
 * @param backoffMin first retry delay bound, default 200 ms
 * @param backoffMax largest retry delay bound, default 30 s
 */
public record TransportSettings(
    List<Endpoint> endpoints,
    int batchSize,
    Duration batchDelay,
    Path spoolDir,
    long spoolMaxBytes,
    Duration connectTimeout,
    Duration replyTimeout,
    Duration backoffMin,
    Duration backoffMax) {

  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_BATCH_DELAY = Duration.ofSeconds(1);
  public static final long DEFAULT_SPOOL_MAX_BYTES = Spool.DEFAULT_MAX_BYTES;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(200);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);

  /** One ingest server. */
  public record Endpoint(String host, int port) {
    public Endpoint {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("endpoint host must not be empty");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException(
            "endpoint " + host + ": port must be 1 to 65535, got " + port);
      }
    }

    /**
     * Parses {@code host:port}, {@code [v6-address]:port}, or a bare host (port 5555).
     *
     * @throws IllegalArgumentException naming the text when it is not an endpoint
     */
    public static Endpoint parse(String text) {
      String s = text.strip();
      String host = s;
      String port = null;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("endpoint '" + text + "': missing ']'");
        }
        host = s.substring(1, close);
        if (close + 1 < s.length()) {
          if (s.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("endpoint '" + text + "': expected ':' after ']'");
          }
          port = s.substring(close + 2);
        }
      } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
        host = s.substring(0, s.indexOf(':'));
        port = s.substring(s.indexOf(':') + 1);
      }
      if (port == null) {
        return new Endpoint(host, 5555);
      }
      try {
        return new Endpoint(host, Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "endpoint '" + text + "': port '" + port + "' is not a number", e);
      }
    }

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  public TransportSettings {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("the transport needs at least one endpoint");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    requirePositive("batchDelay", batchDelay);
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("replyTimeout", replyTimeout);
    requirePositive("backoffMin", backoffMin);
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "backoffMax (" + backoffMax + ") must not be below backoffMin (" + backoffMin + ")");
    }
    if (spoolDir == null) {
      throw new IllegalArgumentException("spoolDir must be set");
    }
    if (spoolMaxBytes < 2 * Spool.MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "spoolMaxBytes must be at least "
              + 2 * Spool.MIN_SEGMENT_BYTES
              + ", got "
              + spoolMaxBytes);
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /** The defaults above, for these endpoints ({@code host:port}) and spool directory. */
  public static TransportSettings defaults(List<String> endpoints, Path spoolDir) {
    return new TransportSettings(
        endpoints.stream().map(Endpoint::parse).toList(),
        DEFAULT_BATCH_SIZE,
        DEFAULT_BATCH_DELAY,
        spoolDir,
        DEFAULT_SPOOL_MAX_BYTES,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REPLY_TIMEOUT,
        DEFAULT_BACKOFF_MIN,
        DEFAULT_BACKOFF_MAX);
  }

  public TransportSettings withBatch(int size, Duration delay) {
    return new TransportSettings(
        endpoints,
        size,
        delay,
        spoolDir,
        spoolMaxBytes,
        connectTimeout,
        replyTimeout,
        backoffMin,
        backoffMax);
  }

  public TransportSettings withSpoolMaxBytes(long bytes) {
    return new TransportSettings(
        endpoints,
        batchSize,
        batchDelay,
        spoolDir,
        bytes,
        connectTimeout,
        replyTimeout,
        backoffMin,
        backoffMax);
  }

  public TransportSettings withTimeouts(Duration connect, Duration reply) {
    return new TransportSettings(
        endpoints,
        batchSize,
        batchDelay,
        spoolDir,
        spoolMaxBytes,
        connect,
        reply,
        backoffMin,
        backoffMax);
  }

  public TransportSettings withBackoff(Duration min, Duration max) {
    return new TransportSettings(
        endpoints,
        batchSize,
        batchDelay,
        spoolDir,
        spoolMaxBytes,
        connectTimeout,
        replyTimeout,
        min,
        max);
  }
}
