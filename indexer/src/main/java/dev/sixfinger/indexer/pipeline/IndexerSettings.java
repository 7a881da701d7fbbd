package dev.sixfinger.indexer.pipeline;

import dev.sixfinger.indexer.document.Dataset;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How the indexer runs. {@link #defaults} gives the documented defaults; the server's {@code
 * elasticsearch:} section overrides them.
 *
 * @param hosts Elasticsearch URLs, such as {@code http://localhost:9200}
 * @param group Kafka consumer group: indexers with the same group share the partitions
 * @param datasets the topics to store
 * @param indexPrefix first part of every index and template name
 * @param bulkMaxDocs documents per bulk request, at most
 * @param bulkMaxBytes bytes of documents per bulk request, at most (a single larger document is
 *     sent alone)
 * @param concurrency bulk requests in flight at once
 * @param linger how long a batch may wait to fill before it is sent anyway
 * @param replicas replicas of each new index
 * @param totalFieldsLimit mapped fields per index; dynamic fields past it are kept unmapped
 * @param retentionDays daily indices older than this many days are deleted; 0 keeps them all
 * @param backoff first and longest wait between retries
 */
public record IndexerSettings(
    List<String> hosts,
    String group,
    List<Dataset> datasets,
    String indexPrefix,
    int bulkMaxDocs,
    long bulkMaxBytes,
    int concurrency,
    Duration linger,
    int replicas,
    int totalFieldsLimit,
    int retentionDays,
    Duration backoffInitial,
    Duration backoffMax) {

  public IndexerSettings {
    hosts = List.copyOf(hosts);
    datasets = List.copyOf(datasets);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "elasticsearch.hosts is empty: give at least one URL such as http://localhost:9200");
    }
    positive("bulkMaxDocs", bulkMaxDocs, 100_000);
    positive("bulkMaxBytes", bulkMaxBytes, 100L * 1024 * 1024);
    positive("concurrency", concurrency, 64);
    positive("totalFieldsLimit", totalFieldsLimit, 100_000);
    if (replicas < 0 || retentionDays < 0) {
      throw new IllegalArgumentException(
          "replicas and retentionDays must be 0 or more, got "
              + replicas
              + " and "
              + retentionDays);
    }
  }

  private static void positive(String name, long value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          "elasticsearch." + name + " must be between 1 and " + max + ", got " + value);
    }
  }

  public static IndexerSettings defaults(List<String> hosts) {
    return new IndexerSettings(
        hosts,
        "sixfinger-indexer",
        Arrays.asList(Dataset.values()),
        "sixfinger",
        5_000,
        5L * 1024 * 1024,
        2,
        Duration.ofSeconds(1),
        1,
        1_000,
        30,
        Duration.ofMillis(100),
        Duration.ofSeconds(30));
  }

  public IndexerSettings withGroup(String group) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        indexPrefix,
        bulkMaxDocs,
        bulkMaxBytes,
        concurrency,
        linger,
        replicas,
        totalFieldsLimit,
        retentionDays,
        backoffInitial,
        backoffMax);
  }

  public IndexerSettings withBulk(int maxDocs, long maxBytes, int concurrency) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        indexPrefix,
        maxDocs,
        maxBytes,
        concurrency,
        linger,
        replicas,
        totalFieldsLimit,
        retentionDays,
        backoffInitial,
        backoffMax);
  }

  public IndexerSettings withIndexPrefix(String prefix, int replicas) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        prefix,
        bulkMaxDocs,
        bulkMaxBytes,
        concurrency,
        linger,
        replicas,
        totalFieldsLimit,
        retentionDays,
        backoffInitial,
        backoffMax);
  }

  public IndexerSettings withLinger(Duration linger, Duration backoffInitial, Duration backoffMax) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        indexPrefix,
        bulkMaxDocs,
        bulkMaxBytes,
        concurrency,
        linger,
        replicas,
        totalFieldsLimit,
        retentionDays,
        backoffInitial,
        backoffMax);
  }

  public IndexerSettings withRetentionDays(int days) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        indexPrefix,
        bulkMaxDocs,
        bulkMaxBytes,
        concurrency,
        linger,
        replicas,
        totalFieldsLimit,
        days,
        backoffInitial,
        backoffMax);
  }

  public IndexerSettings withTotalFieldsLimit(int limit) {
    return new IndexerSettings(
        hosts,
        group,
        datasets,
        indexPrefix,
        bulkMaxDocs,
        bulkMaxBytes,
        concurrency,
        linger,
        replicas,
        limit,
        retentionDays,
        backoffInitial,
        backoffMax);
  }
}
