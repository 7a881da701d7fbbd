package dev.sixfinger.server.kafka;

import dev.sixfinger.core.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics of {@link Topics#ALL} that are missing, with their partitions and policies.
 *
 * <p>Existing topics are never changed: adding partitions would move hosts to other partitions
 * (breaking per-host order), and their configs may have been tuned by an operator. Mismatches that
 * matter (a state topic that is not compacted, fewer partitions than configured) are logged as
 * warnings.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  /**
   * How to create missing topics.
   *
   * <p>Defaults: {@code sixfinger.events} gets 6 partitions (it carries every event, keyed by host,
   * and is the one topic whose consumers need to scale out) and a retention of 7 days (enough to
   * replay a week and to survive a long weekend with a stopped consumer); every other topic gets 3
   * partitions (low volume, but more than one consumer instance can share them) and the cluster's
   * default retention. Compacted topics keep the latest record per key forever.
   *
   * @param eventsPartitions partitions of {@code sixfinger.events}
   * @param partitions partitions of every other topic
   * @param replicationFactor replicas per partition; {@link #AUTO_REPLICATION} (0) means min(3,
   *     number of brokers): 1 on the embedded broker, 3 on a real cluster
   * @param eventsRetention retention.ms of {@code sixfinger.events}
   * @param timeout how long to wait for the cluster to answer
   */
  public record Settings(
      int eventsPartitions,
      int partitions,
      short replicationFactor,
      Duration eventsRetention,
      Duration timeout) {
    public static final short AUTO_REPLICATION = 0;
    public static final int DEFAULT_EVENTS_PARTITIONS = 6;
    public static final int DEFAULT_PARTITIONS = 3;
    public static final Duration DEFAULT_EVENTS_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Settings {
      if (eventsPartitions < 1) {
        throw new IllegalArgumentException(
            "eventsPartitions must be at least 1, was " + eventsPartitions);
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
      }
      if (replicationFactor < 0) {
        throw new IllegalArgumentException(
            "replicationFactor must be at least 1, or 0 for automatic; was " + replicationFactor);
      }
      Objects.requireNonNull(eventsRetention, "eventsRetention");
      Objects.requireNonNull(timeout, "timeout");
      if (eventsRetention.isNegative() || eventsRetention.isZero()) {
        throw new IllegalArgumentException(
            "eventsRetention must be positive, was " + eventsRetention);
      }
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "timeout must be positive and below 24 days, was " + timeout);
      }
    }

    public static Settings defaults() {
      return new Settings(
          DEFAULT_EVENTS_PARTITIONS,
          DEFAULT_PARTITIONS,
          AUTO_REPLICATION,
          DEFAULT_EVENTS_RETENTION,
          DEFAULT_TIMEOUT);
    }

    public Settings withEventsPartitions(int eventsPartitions) {
      return new Settings(
          eventsPartitions, partitions, replicationFactor, eventsRetention, timeout);
    }

    public Settings withPartitions(int partitions) {
      return new Settings(
          eventsPartitions, partitions, replicationFactor, eventsRetention, timeout);
    }

    public Settings withReplicationFactor(short replicationFactor) {
      return new Settings(
          eventsPartitions, partitions, replicationFactor, eventsRetention, timeout);
    }

    public Settings withEventsRetention(Duration eventsRetention) {
      return new Settings(
          eventsPartitions, partitions, replicationFactor, eventsRetention, timeout);
    }

    public Settings withTimeout(Duration timeout) {
      return new Settings(
          eventsPartitions, partitions, replicationFactor, eventsRetention, timeout);
    }
  }

  /**
   * What {@link #ensureTopics()} found and did.
   *
   * @param created topics this call created
   * @param existing topics that were there already (or were created concurrently by someone else)
   * @param replicationFactor the replication factor used for created topics
   */
  public record Result(List<String> created, List<String> existing, short replicationFactor) {
    public Result {
      created = List.copyOf(created);
      existing = List.copyOf(existing);
    }
  }

  private final Map<String, Object> adminConfig;
  private final Settings settings;
  private final String bootstrapServers;

  /** For a plaintext cluster: only the bootstrap servers are needed. */
  public TopicAdmin(String bootstrapServers, Settings settings) {
    this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), settings);
  }

  /**
   * @param adminConfig Admin client properties; must contain bootstrap.servers, may add security
   *     settings (SASL, TLS) for a real cluster
   */
  public TopicAdmin(Map<String, ?> adminConfig, Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Object servers = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException(
          "Kafka admin config has no bootstrap.servers — check kafka.bootstrapServers");
    }
    this.bootstrapServers = servers.toString();
    Map<String, Object> config = new HashMap<>(adminConfig);
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "sixfinger-topic-admin");
    int timeoutMs = (int) settings.timeout().toMillis();
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
    this.adminConfig = Map.copyOf(config);
  }

  /**
   * Creates every missing topic of {@link Topics#ALL}. Safe to call on every start and from several
   * processes at once: a topic that exists, or appears meanwhile, is left alone.
   *
   * @throws KafkaUnreachableException if the cluster does not answer within the timeout
   * @throws IllegalStateException if a topic cannot be created (for example, more replicas than
   *     brokers, or not authorized)
   */
  public Result ensureTopics() {
    long timeoutMs = settings.timeout().toMillis();
    try (Admin admin = createAdmin()) {
      int brokers =
          call(
                  admin
                      .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                      .nodes(),
                  "describe the cluster")
              .size();
      short replication = replicationFactor(brokers);
      Set<String> present = call(admin.listTopics().names(), "list topics");

      List<String> created = new ArrayList<>();
      List<String> existing = new ArrayList<>();
      List<NewTopic> toCreate = new ArrayList<>();
      for (NewTopic topic : plan(replication)) {
        if (present.contains(topic.name())) {
          existing.add(topic.name());
        } else {
          toCreate.add(topic);
        }
      }

      if (!toCreate.isEmpty()) {
        var futures =
            admin
                .createTopics(toCreate, new CreateTopicsOptions().timeoutMs((int) timeoutMs))
                .values();
        for (NewTopic topic : toCreate) {
          if (awaitCreation(futures.get(topic.name()), topic.name())) {
            created.add(topic.name());
            log.info(
                "Created Kafka topic {} ({} partitions, replication {}, {})",
                topic.name(),
                topic.numPartitions(),
                topic.replicationFactor(),
                topic.configs());
          } else {
            // Another instance created it between our list and create: that is the goal.
            existing.add(topic.name());
          }
        }
      }
      if (!existing.isEmpty()) {
        checkExisting(admin, existing);
      }
      if (created.isEmpty()) {
        log.info("All {} Kafka topics exist at {}", Topics.ALL.size(), bootstrapServers);
      }
      return new Result(created, existing, replication);
    }
  }

  /** The topics to create, in the order of {@link Topics#ALL}. */
  List<NewTopic> plan(short replicationFactor) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : Topics.ALL) {
      Map<String, String> configs = new LinkedHashMap<>();
      int partitions;
      if (name.equals(Topics.RULES_STATE) || name.equals(Topics.SCHEDULER_STATE)) {
        // One snapshot per engine or scheduler group; a whole snapshot must fit in one record.
        partitions = 1;
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        configs.put(
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.RULES_STATE_MAX_BYTES));
      } else if (Topics.COMPACTED.contains(name)) {
        partitions = settings.partitions();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
      } else if (name.equals(Topics.EVENTS)) {
        partitions = settings.eventsPartitions();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.eventsRetention().toMillis()));
      } else {
        partitions = settings.partitions();
      }
      // With three replicas, acks=all should mean "on two brokers", so one broker may be down
      // without losing acknowledged records or blocking writes.
      if (replicationFactor >= 3) {
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
      }
      topics.add(new NewTopic(name, partitions, replicationFactor).configs(configs));
    }
    return topics;
  }

  /** The configured factor, or min(3, brokers); fails early if there are too few brokers. */
  short replicationFactor(int brokers) {
    if (settings.replicationFactor() == Settings.AUTO_REPLICATION) {
      return (short) Math.max(1, Math.min(3, brokers));
    }
    if (settings.replicationFactor() > brokers) {
      throw new IllegalStateException(
          "replication factor "
              + settings.replicationFactor()
              + " is configured, but the Kafka cluster at "
              + bootstrapServers
              + " has only "
              + brokers
              + " available broker(s)");
    }
    return settings.replicationFactor();
  }

  /** Warns about existing topics that differ in ways that matter; never fails. */
  private void checkExisting(Admin admin, List<String> existing) {
    try {
      Map<String, TopicDescription> descriptions =
          call(admin.describeTopics(existing).allTopicNames(), "describe topics");
      for (TopicDescription description : descriptions.values()) {
        int wanted =
            description.name().equals(Topics.EVENTS)
                ? settings.eventsPartitions()
                : description.name().equals(Topics.RULES_STATE)
                        || description.name().equals(Topics.SCHEDULER_STATE)
                    ? 1
                    : settings.partitions();
        int actual = description.partitions().size();
        if (actual < wanted) {
          log.warn(
              "Kafka topic {} has {} partitions, {} are configured; left as it is (adding"
                  + " partitions would move keys to other partitions)",
              description.name(),
              actual,
              wanted);
        }
      }
      List<ConfigResource> compacted = new ArrayList<>();
      for (String name : existing) {
        if (Topics.COMPACTED.contains(name)) {
          compacted.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
        }
      }
      if (compacted.isEmpty()) {
        return;
      }
      Map<ConfigResource, Config> configs =
          call(admin.describeConfigs(compacted).all(), "describe topic configs");
      for (Map.Entry<ConfigResource, Config> entry : configs.entrySet()) {
        ConfigEntry policy = entry.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
          log.warn(
              "Kafka topic {} should be compacted but has cleanup.policy={}: its state will be"
                  + " lost when the retention expires; fix it with kafka-configs --alter"
                  + " --add-config cleanup.policy=compact",
              entry.getKey().name(),
              policy == null ? "(unknown)" : policy.value());
        }
      }
    } catch (RuntimeException e) {
      log.warn("Could not check the existing Kafka topics {}: {}", existing, e.toString());
    }
  }

  private Admin createAdmin() {
    try {
      return Admin.create(adminConfig);
    } catch (KafkaException e) {
      // Typically "No resolvable bootstrap urls given in bootstrap.servers".
      throw new KafkaUnreachableException(
          "could not reach Kafka at "
              + bootstrapServers
              + ": "
              + rootMessage(e)
              + " — check kafka.bootstrapServers",
          e);
    }
  }

  private <T> T call(KafkaFuture<T> future, String what) {
    try {
      return await(future, what);
    } catch (ExecutionException e) {
      throw failure(e, what);
    }
  }

  /** True if this call created the topic, false if it existed already. */
  private boolean awaitCreation(KafkaFuture<Void> future, String topic) {
    String what = "create topic " + topic;
    try {
      await(future, what);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw failure(e, what);
    }
  }

  private <T> T await(KafkaFuture<T> future, String what) throws ExecutionException {
    try {
      return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (TimeoutException e) {
      throw unreachable(e);
    }
  }

  private RuntimeException failure(ExecutionException e, String what) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return unreachable(cause);
    }
    return new IllegalStateException(
        "could not " + what + " at " + bootstrapServers + ": " + cause.getMessage(), cause);
  }

  private KafkaUnreachableException unreachable(Throwable cause) {
    return new KafkaUnreachableException(
        "could not reach Kafka at "
            + bootstrapServers
            + " within "
            + settings.timeout().toSeconds()
            + " s: "
            + rootMessage(cause)
            + " — check kafka.bootstrapServers",
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
