package dev.sixfinger.server.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Used when no {@code kafka.bootstrapServers} is configured, and by tests. The storage is
 * formatted only the first time, so a restart keeps the log and the cluster id. After an unclean
 * stop (process killed) Kafka recovers its log on the next start: this class keeps no lock or
 * marker files of its own, and the OS releases Kafka's {@code .lock} when the process dies.
 *
 * <p>Not restartable: after {@link #close()}, create a new instance on the same directory.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** The only node of the cluster; stored in meta.properties, so it must never change. */
  static final int NODE_ID = 1;

  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /**
   * Where, how and with which extra broker settings to run.
   *
   * @param dataDir Kafka's log directory (also holds the KRaft metadata log)
   * @param host the address both listeners bind to and the broker advertises
   * @param port the broker (client) port; 0 picks a free port at start
   * @param controllerPort the KRaft controller port; 0 picks a free port at start
   * @param overrides broker properties applied last, over everything this class sets
   * @param startTimeout how long {@link #start()} waits for the broker to accept requests
   */
  public record Settings(
      Path dataDir,
      String host,
      int port,
      int controllerPort,
      Map<String, String> overrides,
      Duration startTimeout) {
    public static final Path DEFAULT_DATA_DIR = Path.of("data", "kafka");
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(startTimeout, "startTimeout");
      checkPort("port", port);
      checkPort("controllerPort", controllerPort);
      if (port != 0 && port == controllerPort) {
        throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
      }
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
      }
      overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
    }

    /** data/kafka, 127.0.0.1:9092, a free controller port, no overrides, 60 s to start. */
    public static Settings defaults() {
      return new Settings(
          DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, 0, Map.of(), DEFAULT_START_TIMEOUT);
    }

    public Settings withDataDir(Path dataDir) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    public Settings withHost(String host) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    public Settings withPort(int port) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    public Settings withControllerPort(int controllerPort) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    public Settings withOverrides(Map<String, String> overrides) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    public Settings withStartTimeout(Duration startTimeout) {
      return new Settings(dataDir, host, port, controllerPort, overrides, startTimeout);
    }

    private static void checkPort(String name, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
      }
    }
  }

  private final Settings settings;
  private final Path dataDir;
  private KafkaRaftServer server;
  private String bootstrapServers;
  private String clusterId;
  private boolean started;
  private boolean closed;

  public EmbeddedKafka(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dataDir = settings.dataDir().toAbsolutePath().normalize();
  }

  /**
   * Formats the storage if needed, starts the broker and controller, and returns once the broker
   * answers an Admin request.
   *
   * @throws IllegalStateException if it was already started or closed, or if the broker fails to
   *     start (port in use, directory locked by another process, ...) or does not accept requests
   *     within the start timeout; the message carries Kafka's reason, and whatever had started is
   *     shut down again
   * @throws java.io.UncheckedIOException if the data directory cannot be created or read
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(
          "embedded Kafka in " + dataDir + " was already " + (closed ? "closed" : "started"));
    }
    started = true;
    long begin = System.nanoTime();
    int[] free = freePorts(settings.host(), 2);
    int port = settings.port() == 0 ? free[0] : settings.port();
    int controllerPort = settings.controllerPort() == 0 ? free[1] : settings.controllerPort();
    String servers = hostPort(settings.host(), port);
    Map<String, String> props = brokerProperties(port, controllerPort);

    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
    }
    clusterId = formatIfNeeded();

    log.info(
        "Starting embedded Kafka {} (cluster {}) with data in {}, controller on {}",
        servers,
        clusterId,
        dataDir,
        hostPort(settings.host(), controllerPort));
    try {
      server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
      awaitReady(servers, begin);
    } catch (RuntimeException e) {
      log.info("Embedded Kafka {} failed to start; shutting down what did start", servers);
      try {
        stopServer();
      } catch (RuntimeException shutdownFailure) {
        e.addSuppressed(shutdownFailure);
      }
      closed = true;
      // Kafka's top-level message ("Received a fatal error while waiting for ...") hides the
      // reason ("Socket server failed to bind to ...: Address already in use"); show the chain.
      throw new IllegalStateException(
          "could not start embedded Kafka at "
              + servers
              + " (data in "
              + dataDir
              + "): "
              + messages(e),
          e);
    }
    bootstrapServers = servers;
    log.info(
        "Embedded Kafka {} is ready after {} ms",
        servers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  /** host:port of the broker; valid once {@link #start()} returned. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("embedded Kafka in " + dataDir + " is not started");
    }
    return bootstrapServers;
  }

  /** The cluster id stored in meta.properties; valid once {@link #start()} returned. */
  public synchronized String clusterId() {
    if (clusterId == null) {
      throw new IllegalStateException("embedded Kafka in " + dataDir + " is not started");
    }
    return clusterId;
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the broker and controller down cleanly and waits until they stopped. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (server == null) {
      return;
    }
    log.info("Stopping embedded Kafka {}", bootstrapServers);
    long begin = System.nanoTime();
    stopServer();
    log.info(
        "Embedded Kafka {} stopped after {} ms",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  private void stopServer() {
    KafkaRaftServer s = server;
    server = null;
    if (s != null) {
      s.shutdown();
      s.awaitShutdown();
    }
  }

  /** Broker properties: single-node defaults first, then the caller's overrides. */
  Map<String, String> brokerProperties(int port, int controllerPort) {
    String host = settings.host();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A static quorum (kraft.version 0) rather than a dynamic one: the voter's address lives in
    // the config, not in the metadata log, so a restart may use a different controller port.
    p.put("controller.quorum.voters", NODE_ID + "@" + hostPort(host, controllerPort));
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + hostPort(host, port)
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + hostPort(host, controllerPort));
    p.put("advertised.listeners", BROKER_LISTENER + "://" + hostPort(host, port));
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("metadata.log.dir", dataDir.toString());

    // One node: internal topics cannot have more than one replica, or they are never created
    // and consumer groups, idempotent and transactional producers hang.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("num.partitions", "1");
    // Nobody else will join: do not hold the first rebalance back.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created deliberately by TopicAdmin, with their partitions and policies; a typo
    // in a topic name must fail rather than create a stray topic.
    p.put("auto.create.topics.enable", "false");
    // Makes KafkaRaftServer.startup() itself give up instead of waiting forever.
    p.put("server.max.startup.time.ms", Long.toString(settings.startTimeout().toMillis()));

    p.putAll(settings.overrides());
    return p;
  }

  /**
   * Formats the data directory unless it already holds meta.properties, and returns the cluster id.
   * Formatting an already formatted directory would fail (or, forced, lose the cluster id).
   */
  private String formatIfNeeded() {
    Path metaProperties = dataDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
    if (Files.exists(metaProperties)) {
      String id = readClusterId(metaProperties);
      log.info("Kafka storage in {} is formatted (cluster {}); keeping its log", dataDir, id);
      return id;
    }
    String id = Uuid.randomUuid().toString();
    log.info("Formatting new Kafka storage in {} (cluster {})", dataDir, id);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(id)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDir.toString())
          .addDirectory(dataDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not format Kafka storage in " + dataDir + ": " + e.getMessage(), e);
    }
    String printed = out.toString(UTF_8).strip();
    if (!printed.isEmpty()) {
      log.debug("Kafka storage formatter: {}", printed);
    }
    return id;
  }

  private static String readClusterId(Path metaProperties) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(metaProperties)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metaProperties, e);
    }
    String id = props.getProperty("cluster.id");
    if (id == null || id.isBlank()) {
      throw new IllegalStateException(
          metaProperties + " has no cluster.id; the Kafka storage is damaged");
    }
    return id;
  }

  /** Waits until the broker answers describeCluster and lists itself (that is, it is unfenced). */
  private void awaitReady(String servers, long beginNanos) {
    long deadline = beginNanos + settings.startTimeout().toNanos();
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "sixfinger-embedded-kafka-check");
    Exception last = null;
    try (Admin admin = Admin.create(config)) {
      while (true) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          break;
        }
        int attemptMs = (int) Math.min(remainingMs, 5_000);
        try {
          Collection<Node> nodes =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(attemptMs))
                  .nodes()
                  .get(attemptMs, TimeUnit.MILLISECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
          last = null;
          // Registered but still fenced: ask again shortly.
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting embedded Kafka", e);
        }
      }
    }
    throw new IllegalStateException(
        "the broker did not accept requests within "
            + settings.startTimeout().toSeconds()
            + " s"
            + (last == null ? "" : " (last attempt: " + last + ")"),
        last);
  }

  /** The distinct messages of an exception and its causes, outermost first. */
  static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (out.indexOf(message) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(message);
      }
    }
    return out.toString();
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Distinct ports that were free a moment ago (held open together, so they differ). Kafka can bind
   * port 0 itself, but the static quorum and the advertised listener need the real ports before
   * start.
   */
  private static int[] freePorts(String host, int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      InetAddress address = InetAddress.getByName(host);
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, address);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          log.debug("Could not close probe socket {}", socket, e);
        }
      }
    }
  }
}
