package dev.sixfinger.server.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.pipeline.ElasticsearchClients;
import dev.sixfinger.indexer.pipeline.Indexer;
import dev.sixfinger.indexer.pipeline.IndexerSettings;
import dev.sixfinger.indexer.retention.Retention;
import dev.sixfinger.indexer.testing.ElasticsearchNode;
import dev.sixfinger.server.RiemannCli;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.KafkaTestLogging;
import dev.sixfinger.server.kafka.TopicAdmin;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer against a real Elasticsearch (the integ-test distribution, as a child process) and a
 * real Kafka broker.
 */
class IndexerIT {
  private static final long DAY_MICROS = 86_400_000_000L;
  private static ElasticsearchNode elasticsearch;
  private static EsHttp es;

  @TempDir Path dir;
  private EmbeddedKafka.Settings kafkaSettings;
  private EmbeddedKafka kafka;
  private KafkaProducer<byte[], byte[]> producer;
  private final List<Indexer> indexers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @BeforeAll
  static void startElasticsearch() throws IOException {
    KafkaTestLogging.quiet();
    elasticsearch = ElasticsearchNode.start("512m");
    es = new EsHttp(elasticsearch.url());
  }

  @AfterAll
  static void stopElasticsearch() {
    if (elasticsearch != null) {
      elasticsearch.close();
    }
  }

  @BeforeEach
  void startKafka() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    kafkaSettings =
        EmbeddedKafka.Settings.defaults().withDataDir(dir.resolve("kafka")).withPort(port);
    kafka = new EmbeddedKafka(kafkaSettings);
    kafka.start();
    new TopicAdmin(
            kafka.bootstrapServers(),
            TopicAdmin.Settings.defaults().withEventsPartitions(3).withPartitions(1))
        .ensureTopics();
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                // Topics this new may not have their leaders yet: one request at a time, so that
                // a refused first batch cannot leave the next ones out of sequence.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                // Across a broker restart the producer waits instead of giving up.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                60_000),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Indexer i : indexers) {
      i.close();
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    producer.close(Duration.ofSeconds(5));
    kafka.close();
  }

  private Indexer startIndexer(String prefix) {
    IndexerSettings settings =
        IndexerSettings.defaults(List.of(elasticsearch.url()))
            .withGroup("indexer-" + prefix)
            .withIndexPrefix(prefix, 0)
            .withBulk(500, 1024 * 1024, 2)
            .withLinger(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(2))
            .withTotalFieldsLimit(200);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                settings.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                1_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    Indexer indexer =
        new Indexer(
            settings,
            consumer,
            producer,
            ElasticsearchClients.create(settings.hosts(), Duration.ofSeconds(30)),
            Clock.system());
    Thread t = new Thread(indexer, "indexer-" + prefix);
    t.start();
    indexers.add(indexer);
    threads.add(t);
    return indexer;
  }

  private RecordMetadata send(String topic, String key, byte[] value) throws Exception {
    return producer
        .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  private static Event event(String host, String service, long timeMicros, double metric) {
    return Event.builder()
        .host(host)
        .service(service)
        .state("ok")
        .description("swap in per second")
        .metric(metric)
        .tags(List.of("swap"))
        .attributes(Map.of("rack", "r1", "agent.version", "1.2"))
        .timeMicros(timeMicros)
        .ttl(60f)
        .build();
  }

  @Test
  void everyKindOfRecordArrivesWithItsMappingAndAnswersKibanaQueries() throws Exception {
    long today = LocalDate.now(ZoneOffset.UTC).toEpochDay() * DAY_MICROS + 3_600_000_000L;
    long yesterday = today - DAY_MICROS;
    Set<String> expectedIds = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      long t = (i < 100 ? yesterday : today) + i * 60_000_000L;
      String host = "n" + (i % 3);
      RecordMetadata m =
          send(Topics.EVENTS, host, RiemannCodec.encode(event(host, "swap/in-rate", t, i)));
      expectedIds.add(Topics.EVENTS + "-" + m.partition() + "-" + m.offset());
    }
    // A tick carries no event: it must not become a document.
    producer
        .send(
            new ProducerRecord<>(
                Topics.EVENTS,
                0,
                null,
                null,
                null,
                new RecordHeaders().add(Topics.TICK_HEADER, new byte[0])))
        .get();
    // An agent with far too many attributes must not explode the mapping nor lose its event.
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 500; i++) {
      many.put("attr" + i, "v");
    }
    Event noisy = event("n9", "noisy", today, 1).toBuilder().attributes(many).build();
    RecordMetadata nm = send(Topics.EVENTS, "n9", RiemannCodec.encode(noisy));
    expectedIds.add(Topics.EVENTS + "-" + nm.partition() + "-" + nm.offset());
    Event swap = event("n1", "swap/in-rate", today, 900);
    send(
        Topics.ALERTS,
        "fp1",
        RecordJson.toBytes(
            new AlertRecord(
                "fp1",
                "fleet-swap",
                AlertRecord.Status.FIRING,
                "critical",
                Map.of("alertname", "fleet-swap", "severity", "critical"),
                "25% of hosts swapping",
                "hosts n1, n2",
                today,
                null,
                today,
                List.of("n1", "n2"),
                List.of(swap))));
    send(
        Topics.HEALTH,
        "n1",
        RecordJson.toBytes(
            new HealthRecord(
                "n1",
                "drain",
                today,
                today + 900_000_000L,
                List.of(
                    new HealthRecord.Decision(
                        "fleet-swap", "drain", "swapping", "fp1", today, List.of(swap))))));
    send(
        Topics.SCHEDULER,
        "job-1",
        ("{\"v\":1,\"type\":\"submitted\",\"time\":\""
                + dev.sixfinger.core.codec.JsonCodec.formatMicros(today)
                + "\",\"uuid\":\"job-1\",\"user\":\"alice\",\"cpus\":4}")
            .getBytes(StandardCharsets.UTF_8));

    startIndexer("t1");

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(es.count("t1-events-*")).isEqualTo(301));
    assertThat(es.ids("t1-events-*")).isEqualTo(expectedIds);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(es.count("t1-alerts-*")).isEqualTo(1);
              assertThat(es.count("t1-health-*")).isEqualTo(1);
              assertThat(es.count("t1-scheduler-*")).isEqualTo(1);
            });

    // Daily indices named from the records' own time.
    IndexNames names = new IndexNames("t1");
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    String todayIndex = names.name(dev.sixfinger.indexer.document.Dataset.EVENTS, day);
    String yesterdayIndex =
        names.name(dev.sixfinger.indexer.document.Dataset.EVENTS, day.minusDays(1));
    assertThat(es.count(yesterdayIndex)).isEqualTo(100);
    assertThat(es.count(todayIndex)).isEqualTo(201);

    // The mapping is the template's: ECS fields with the right types, labels as keywords.
    JsonNode mapping = es.get("/" + todayIndex + "/_mapping").path(todayIndex).path("mappings");
    JsonNode props = mapping.path("properties");
    assertThat(props.path("@timestamp").path("type").asText()).isEqualTo("date");
    assertThat(props.path("host").path("properties").path("name").path("type").asText())
        .isEqualTo("keyword");
    assertThat(props.path("service").path("properties").path("name").path("type").asText())
        .isEqualTo("keyword");
    assertThat(props.path("metric").path("type").asText()).isEqualTo("double");
    assertThat(props.path("message").path("type").asText()).isEqualTo("text");
    assertThat(props.path("labels").path("properties").path("rack").path("type").asText())
        .isEqualTo("keyword");
    assertThat(props.path("labels").path("properties").has("agent_version")).isTrue();
    JsonNode settings =
        es.get("/" + todayIndex + "/_settings?flat_settings=true")
            .path(todayIndex)
            .path("settings");
    assertThat(settings.path("index.mapping.total_fields.limit").asInt()).isEqualTo(200);
    JsonNode noisyDoc =
        es.post("/t1-events-*/_search", "{\"query\":{\"term\":{\"host.name\":\"n9\"}}}");
    assertThat(noisyDoc.path("hits").path("total").path("value").asInt()).isEqualTo(1);
    assertThat(noisyDoc.path("hits").path("hits").get(0).path("_source").path("labels").size())
        .isEqualTo(500);
    // ...but past the limit its attributes are not mapped.
    assertThat(props.path("labels").path("properties").size()).isLessThan(200);

    // Kibana's bread and butter: a date histogram on @timestamp and terms on host.name.
    JsonNode agg =
        es.post(
            "/t1-events-*/_search",
            "{\"size\":0,\"query\":{\"term\":{\"service.name\":\"swap/in-rate\"}},"
                + "\"aggs\":{\"per_hour\":{\"date_histogram\":{\"field\":\"@timestamp\","
                + "\"fixed_interval\":\"1h\"}},\"hosts\":{\"terms\":{\"field\":\"host.name\"}},"
                + "\"peak\":{\"max\":{\"field\":\"metric\"}}}}");
    long histogramTotal = 0;
    for (JsonNode b : agg.path("aggregations").path("per_hour").path("buckets")) {
      histogramTotal += b.path("doc_count").asLong();
    }
    assertThat(histogramTotal).isEqualTo(300);
    assertThat(agg.path("aggregations").path("hosts").path("buckets"))
        .extracting(b -> b.path("key").asText() + "=" + b.path("doc_count").asInt())
        .containsExactlyInAnyOrder("n0=100", "n1=100", "n2=100");
    assertThat(agg.path("aggregations").path("peak").path("value").asDouble()).isEqualTo(299);

    // Alerts, health and scheduler records keep their fields, with ECS names where ECS has them.
    JsonNode alert = es.post("/t1-alerts-*/_search", "{}").path("hits").path("hits").get(0);
    assertThat(alert.path("_source").path("rule").path("name").asText()).isEqualTo("fleet-swap");
    assertThat(alert.path("_source").path("host").path("name"))
        .extracting(JsonNode::asText)
        .containsExactly("n1", "n2");
    assertThat(alert.path("_source").path("event").path("kind").asText()).isEqualTo("alert");
    JsonNode byLabel =
        es.post(
            "/t1-alerts-*/_search",
            "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"labels.severity\":\"critical\"}},"
                + "{\"term\":{\"host.name\":\"n2\"}},{\"term\":{\"status\":\"firing\"}}]}}}");
    assertThat(byLabel.path("hits").path("total").path("value").asInt()).isEqualTo(1);
    JsonNode health =
        es.post("/t1-health-*/_search", "{\"query\":{\"term\":{\"host.name\":\"n1\"}}}");
    assertThat(health.path("hits").path("hits").get(0).path("_source").path("action").asText())
        .isEqualTo("drain");
    JsonNode job =
        es.post("/t1-scheduler-*/_search", "{\"query\":{\"term\":{\"user.name\":\"alice\"}}}");
    assertThat(job.path("hits").path("total").path("value").asInt()).isEqualTo(1);
  }

  @Test
  void elasticsearchStoppedMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    Indexer indexer = startIndexer("t2");
    long now = System.currentTimeMillis() * 1000L;
    Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    Runnable batch =
        () -> {
          List<java.util.concurrent.Future<RecordMetadata>> fs = new ArrayList<>();
          for (int i = 0; i < 2_000; i++) {
            int n = sent.getAndIncrement();
            String host = "h" + (n % 50);
            fs.add(
                producer.send(
                    new ProducerRecord<>(
                        Topics.EVENTS,
                        host.getBytes(StandardCharsets.UTF_8),
                        RiemannCodec.encode(event(host, "load", now + n, n)))));
          }
          for (var f : fs) {
            try {
              RecordMetadata m = f.get();
              expected.add(Topics.EVENTS + "-" + m.partition() + "-" + m.offset());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    batch.run();
    await().atMost(Duration.ofSeconds(60)).until(() -> indexer.status().stored() > 0);

    elasticsearch.stop();
    batch.run();
    batch.run();
    // The indexer keeps retrying and pauses instead of buffering the log.
    await().atMost(Duration.ofSeconds(60)).until(() -> indexer.status().requestsFailed() > 0);
    long storedWhileDown = indexer.status().stored();

    elasticsearch.restart();
    batch.run();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(() -> assertThat(es.count("t2-events-*")).isEqualTo(8_000));
    assertThat(es.ids("t2-events-*")).isEqualTo(expected);
    assertThat(indexer.status().stored()).isGreaterThan(storedWhileDown);
    assertThat(indexer.status().deadLettered()).isZero();

    // A second indexer of the same group after this one stops finds nothing left to do:
    // the offsets were committed only for what was stored.
    indexer.close();
    threads.get(0).join(30_000);
    Indexer again = startIndexer("t2");
    batch.run();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(es.count("t2-events-*")).isEqualTo(10_000));
    assertThat(es.ids("t2-events-*")).isEqualTo(expected);
    assertThat(again.status().stored()).isLessThanOrEqualTo(2_000 + 1_000);
  }

  @Test
  void aPoisonDocumentGoesToTheDeadLetterTopicWhileTheRestGoThrough() throws Exception {
    long now = System.currentTimeMillis() * 1000L;
    String time = dev.sixfinger.core.codec.JsonCodec.formatMicros(now);
    send(
        Topics.SCHEDULER,
        "job-1",
        ("{\"v\":1,\"type\":\"submitted\",\"time\":\"" + time + "\",\"cpus\":4}")
            .getBytes(StandardCharsets.UTF_8));
    startIndexer("t3");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(es.count("t3-scheduler-*")).isEqualTo(1));
    // cpus is now a number in the mapping: a text value conflicts for good.
    RecordMetadata poison =
        send(
            Topics.SCHEDULER,
            "job-2",
            ("{\"v\":1,\"type\":\"submitted\",\"time\":\"" + time + "\",\"cpus\":\"lots\"}")
                .getBytes(StandardCharsets.UTF_8));
    RecordMetadata garbage =
        send(Topics.EVENTS, "bad", new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x02});
    for (int i = 0; i < 5; i++) {
      send(
          Topics.SCHEDULER,
          "job-" + (i + 3),
          ("{\"v\":1,\"type\":\"submitted\",\"time\":\"" + time + "\",\"cpus\":" + i + "}")
              .getBytes(StandardCharsets.UTF_8));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(es.count("t3-scheduler-*")).isEqualTo(6));

    List<JsonNode> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.DLQ));
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                  letters.add(json.readTree(r.value()));
                }
                return letters.size() >= 2;
              });
    }
    assertThat(letters).hasSize(2);
    JsonNode refused =
        letters.stream()
            .filter(l -> l.path("source").path("topic").asText().equals(Topics.SCHEDULER))
            .findFirst()
            .orElseThrow();
    assertThat(refused.path("source").path("offset").asLong()).isEqualTo(poison.offset());
    assertThat(refused.path("status").asInt()).isEqualTo(400);
    assertThat(refused.path("reason").asText()).contains("cpus");
    assertThat(refused.path("document").path("cpus").asText()).isEqualTo("lots");
    JsonNode unreadable =
        letters.stream()
            .filter(l -> l.path("source").path("topic").asText().equals(Topics.EVENTS))
            .findFirst()
            .orElseThrow();
    assertThat(unreadable.path("source").path("offset").asLong()).isEqualTo(garbage.offset());
    assertThat(unreadable.path("reason").asText()).startsWith("cannot read events record");
    assertThat(unreadable.path("valueBase64").asText()).isNotEmpty();
  }

  @Test
  void retentionDeletesExactlyTheDailyIndicesPastTheLimit() throws Exception {
    List<String> made =
        List.of(
            "t4-events-2026.10.23",
            "t4-events-2026.10.24",
            "t4-events-2026.10.25",
            "t4-alerts-2026.09.01",
            "t4-health-2026.11.24",
            "t4-events-latest",
            "t4-notes-2020.01.01",
            "other-events-2020.01.01");
    for (String index : made) {
      assertThat(
              es.put("/" + index, "{\"settings\":{\"number_of_replicas\":0}}")
                  .path("_status")
                  .asInt())
          .isEqualTo(200);
    }
    try (var transport =
        ElasticsearchClients.create(List.of(elasticsearch.url()), Duration.ofSeconds(30))
            ._transport()) {
      var client = new co.elastic.clients.elasticsearch.ElasticsearchClient(transport);
      List<String> deleted =
          new Retention(client, new IndexNames("t4"), 30).run(LocalDate.parse("2026-11-24"));
      assertThat(deleted)
          .containsExactly("t4-alerts-2026.09.01", "t4-events-2026.10.23", "t4-events-2026.10.24");
    }
    JsonNode left = es.get("/_cat/indices/t4-*,other-*?format=json&h=index");
    List<String> names = new ArrayList<>();
    left.forEach(n -> names.add(n.path("index").asText()));
    // _cat answers an array: EsHttp adds _status to objects only.
    assertThat(names)
        .containsExactlyInAnyOrder(
            "t4-events-2026.10.25",
            "t4-health-2026.11.24",
            "t4-events-latest",
            "t4-notes-2020.01.01",
            "other-events-2020.01.01");
  }

  @Test
  void theServerRunsTheIndexerWhenElasticsearchIsConfigured() throws Exception {
    try (TestServer server =
        TestServer.external(
            kafka.bootstrapServers(),
            ConfigOverride.config("elasticsearch.hosts", elasticsearch.url()),
            ConfigOverride.config("elasticsearch.indexPrefix", "t5"),
            ConfigOverride.config("elasticsearch.replicas", "0"),
            ConfigOverride.config("elasticsearch.linger", "200 milliseconds"),
            ConfigOverride.config("rules.enabled", "false"))) {
      RiemannCli.ok(
          server.riemannPort(),
          "send",
          "-h",
          "cli-host",
          "-S",
          "disk/used",
          "-d",
          "0.93",
          "-s",
          "warning",
          "-a",
          "mount=/data");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(es.count("t5-events-*")).isEqualTo(1));
      JsonNode hit =
          es.post("/t5-events-*/_search", "{}").path("hits").path("hits").get(0).path("_source");
      assertThat(hit.path("host").path("name").asText()).isEqualTo("cli-host");
      assertThat(hit.path("service").path("name").asText()).isEqualTo("disk/used");
      assertThat(hit.path("metric").asDouble()).isEqualTo(0.93);
      assertThat(hit.path("labels").path("mount").asText()).isEqualTo("/data");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode health = new EsHttp(server.adminUrl()).get("/healthcheck");
                assertThat(health.path("indexer").path("healthy").asBoolean()).isTrue();
                assertThat(health.path("indexer").path("stored").asLong()).isEqualTo(1);
              });
    }
  }

  /** Writes {@code count} events and returns the ids their documents must have. */
  private Set<String> writeEvents(String run, int count) throws Exception {
    long now = System.currentTimeMillis() * 1000L;
    List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String host = run + "-h" + (i % 40);
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.EVENTS,
                  host.getBytes(StandardCharsets.UTF_8),
                  RiemannCodec.encode(event(host, "cpu", now + i, i)))));
    }
    Set<String> ids = new HashSet<>();
    for (var f : sent) {
      RecordMetadata m = f.get();
      ids.add(Topics.EVENTS + "-" + m.partition() + "-" + m.offset());
    }
    return ids;
  }

  /** {@code ./sixfinger indexer}, the real command, in a JVM of its own that a test can kill. */
  private Process startIndexerCommand(String prefix, Path log) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Ddw.elasticsearch.indexPrefix=" + prefix,
            "-Ddw.elasticsearch.replicas=0",
            "-Ddw.elasticsearch.group=indexer-" + prefix,
            "-Ddw.elasticsearch.bulkMaxDocs=500",
            "-Ddw.elasticsearch.linger=200 milliseconds",
            "-cp",
            System.getProperty("java.class.path"),
            dev.sixfinger.server.SixfingerApplication.class.getName(),
            "indexer",
            "--elasticsearch",
            elasticsearch.url(),
            "--bootstrap",
            kafka.bootstrapServers())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  @Test
  void aKilledIndexerIsReplacedWithoutLosingOrDuplicatingADocument() throws Exception {
    Set<String> expected = new HashSet<>(writeEvents("k", 20_000));
    Process first = startIndexerCommand("t6", dir.resolve("indexer-1.log"));
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> es.count("t6-events-*") >= 2_000);
      // SIGKILL mid-stream: no shutdown hook, batches in flight, offsets partly committed.
      first.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      first.destroyForcibly();
    }
    long beforeRestart = es.count("t6-events-*");
    assertThat(beforeRestart).isLessThan(20_000);
    expected.addAll(writeEvents("k2", 5_000));
    Process second = startIndexerCommand("t6", dir.resolve("indexer-2.log"));
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(() -> assertThat(es.count("t6-events-*")).isEqualTo(25_000));
      assertThat(es.ids("t6-events-*")).isEqualTo(expected);
      String log = java.nio.file.Files.readString(dir.resolve("indexer-2.log"));
      assertThat(log).contains("index templates installed");
    } finally {
      second.destroy();
      second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }

  @Test
  void aBrokerOutageMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    Set<String> expected = new HashSet<>(writeEvents("b", 10_000));
    Indexer indexer = startIndexer("t7");
    await().atMost(Duration.ofSeconds(60)).until(() -> indexer.status().stored() > 0);
    kafka.close();
    // The indexer keeps what it has in flight and waits for the broker.
    java.util.concurrent.TimeUnit.SECONDS.sleep(3);
    kafka = new EmbeddedKafka(kafkaSettings);
    kafka.start();
    expected.addAll(writeEvents("b2", 5_000));
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(() -> assertThat(es.count("t7-events-*")).isEqualTo(15_000));
    assertThat(es.ids("t7-events-*")).isEqualTo(expected);
    assertThat(indexer.status().deadLettered()).isZero();
  }
}
