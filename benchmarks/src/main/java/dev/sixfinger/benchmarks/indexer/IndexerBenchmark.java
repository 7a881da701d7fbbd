package dev.sixfinger.benchmarks.indexer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.benchmarks.ingest.SampleEvents;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.indexer.document.DocumentMapper;
import dev.sixfinger.indexer.document.IndexDocument;
import dev.sixfinger.indexer.document.IndexNames;
import dev.sixfinger.indexer.document.Mapped;
import dev.sixfinger.indexer.pipeline.ElasticsearchClients;
import dev.sixfinger.indexer.pipeline.Indexer;
import dev.sixfinger.indexer.pipeline.IndexerSettings;
import dev.sixfinger.indexer.template.IndexTemplates;
import dev.sixfinger.indexer.testing.ElasticsearchNode;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The indexer benchmark of issue 6: a fixed log of events in a local Kafka is written into a local
 * Elasticsearch, in the same run, by (1) a raw bulk loader that POSTs the very same documents,
 * prepared in memory beforehand, straight to {@code _bulk} with the same batch size and
 * concurrency, and (2) the Sixfinger indexer reading them from Kafka. Rounds alternate the two so
 * that drift on a noisy machine hits both. Prints documents per second of each and the ratio.
 */
public final class IndexerBenchmark {
  static final double RATIO_TARGET = 0.90;
  private static final ObjectMapper JSON = new ObjectMapper();

  record Options(int events, int batch, int concurrency, int rounds, String heap, Path json) {}

  static final String USAGE =
      """
      Usage: run-indexer-benchmark.sh [options]

      Starts a local Elasticsearch (the integ-test distribution) and an embedded Kafka broker,
      writes N events to sixfinger.events, then per round: the raw bulk loader (the same
      documents, prepared beforehand, POSTed to _bulk) and the Sixfinger indexer (reading them
      from Kafka), each into fresh indices. Loopback only; stops by itself.

        --events N        events in the log, default 1000000
        --batch B         documents per bulk request, for both, default 5000
        --concurrency C   bulk requests in flight, for both, default 2
        --rounds R        rounds of (raw, indexer), default 2
        --heap SIZE       Elasticsearch heap, default 1g
        --json PATH       where to write the result, default benchmarks/target/indexer-benchmark.json
        --help            this text
      """;

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    if (o == null) {
      System.out.println(USAGE);
      return;
    }
    quietLogging();
    Path dir = Files.createTempDirectory("sixfinger-indexer-bench");
    System.out.printf(Locale.ROOT, "Starting Elasticsearch (heap %s) and Kafka...%n", o.heap());
    try (ElasticsearchNode es = ElasticsearchNode.start(o.heap());
        EmbeddedKafka kafka = startKafka(dir)) {
      fillLog(kafka.bootstrapServers(), o.events());
      System.out.println("Preparing the raw loader's bulk bodies from the same records...");
      List<byte[]> bodies = rawBodies(kafka.bootstrapServers(), o);
      ElasticsearchClient client =
          ElasticsearchClients.create(List.of(es.url()), Duration.ofSeconds(120));
      new IndexTemplates(new IndexNames("raw"), 0, 1000).install(client);
      HttpClient http = HttpClient.newHttpClient();
      List<Double> raw = new ArrayList<>();
      List<Double> ours = new ArrayList<>();
      for (int r = 1; r <= o.rounds(); r++) {
        deleteIndices(http, es.url(), "raw-*");
        long cpu0 = processCpuNanos();
        double rawRate = runRaw(http, es.url(), bodies, o.concurrency(), o.events());
        double rawCpu = (processCpuNanos() - cpu0) / 1e3 / o.events();
        raw.add(rawRate);
        System.out.printf(
            Locale.ROOT,
            "round %d  raw bulk loader   %,10.0f docs/s   client CPU %.1f µs/doc%n",
            r,
            rawRate,
            rawCpu);
        deleteIndices(http, es.url(), "idx-*");
        cpu0 = processCpuNanos();
        double ourRate = runIndexer(kafka.bootstrapServers(), es.url(), o, r);
        double ourCpu = (processCpuNanos() - cpu0) / 1e3 / o.events();
        ours.add(ourRate);
        System.out.printf(
            Locale.ROOT,
            "round %d  sixfinger indexer %,10.0f docs/s   client CPU %.1f µs/doc   ratio %.2f%n",
            r,
            ourRate,
            ourCpu,
            ourRate / rawRate);
      }
      double rawBest = raw.stream().mapToDouble(d -> d).max().orElse(0);
      double oursBest = ours.stream().mapToDouble(d -> d).max().orElse(0);
      double ratio = oursBest / rawBest;
      System.out.printf(
          Locale.ROOT,
          "%nbest of %d rounds: raw %,.0f docs/s, indexer %,.0f docs/s, ratio %.2f (target >= %.2f: %s)%n",
          o.rounds(),
          rawBest,
          oursBest,
          ratio,
          RATIO_TARGET,
          ratio >= RATIO_TARGET ? "met" : "NOT met");
      ObjectNode out = JSON.createObjectNode();
      out.put("events", o.events());
      out.put("batch", o.batch());
      out.put("concurrency", o.concurrency());
      out.put("elasticsearchHeap", o.heap());
      out.set("rawDocsPerSecond", JSON.valueToTree(raw));
      out.set("indexerDocsPerSecond", JSON.valueToTree(ours));
      out.put("ratioOfBest", ratio);
      out.put("target", RATIO_TARGET);
      Files.createDirectories(o.json().toAbsolutePath().getParent());
      Files.writeString(o.json(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      client._transport().close();
    }
  }

  private static EmbeddedKafka startKafka(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafka.Settings.defaults().withDataDir(dir.resolve("kafka")).withPort(port));
    kafka.start();
    new TopicAdmin(kafka.bootstrapServers(), TopicAdmin.Settings.defaults()).ensureTopics();
    return kafka;
  }

  private static void fillLog(String bootstrap, int events) throws Exception {
    System.out.printf(Locale.ROOT, "Writing %,d events to %s...%n", events, Topics.EVENTS);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      // A topic just created may not have its leaders yet: one acknowledged record per partition
      // first, so that pipelined batches are not refused and resent out of order.
      int partitions = p.partitionsFor(Topics.EVENTS).size();
      for (int part = 0; part < partitions; part++) {
        awaitLeader(p, part);
      }
      for (int i = 0; i < events; i++) {
        int host = i % SampleEvents.HOSTS;
        byte[] key = ("node-" + host).getBytes(StandardCharsets.UTF_8);
        p.send(
            new ProducerRecord<>(
                Topics.EVENTS,
                key,
                RiemannCodec.encode(SampleEvents.event(host, i / SampleEvents.HOSTS, i * 0.25))));
        if ((i + 1) % 200_000 == 0) {
          System.out.printf(Locale.ROOT, "  %,d%n", i + 1);
        }
      }
      p.flush();
    }
  }

  private static void awaitLeader(KafkaProducer<byte[], byte[]> p, int partition)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        p.send(new ProducerRecord<>(Topics.EVENTS, partition, (byte[]) null, (byte[]) null)).get();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt > 50) {
          throw new IllegalStateException("partition " + partition + " has no leader", e);
        }
        Thread.sleep(200);
      }
    }
  }

  /** Reads the log once and builds the NDJSON bodies the raw loader will send. */
  private static List<byte[]> rawBodies(String bootstrap, Options o) throws IOException {
    DocumentMapper mapper = new DocumentMapper(new IndexNames("raw"));
    List<byte[]> bodies = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream(o.batch() * 400);
    int inBody = 0;
    int documents = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "raw-loader-prepare",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.EVENTS));
      while (documents < o.events()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (!(mapper.map(r) instanceof Mapped.Document d)) {
            continue; // the records that waited for the partition leaders
          }
          documents++;
          IndexDocument doc = d.document();
          body.write(
              ("{\"index\":{\"_index\":\"" + doc.index() + "\",\"_id\":\"" + doc.id() + "\"}}\n")
                  .getBytes(StandardCharsets.UTF_8));
          body.write(doc.source());
          body.write('\n');
          if (++inBody == o.batch()) {
            bodies.add(body.toByteArray());
            body.reset();
            inBody = 0;
          }
        }
      }
    }
    if (inBody > 0) {
      bodies.add(body.toByteArray());
    }
    return bodies;
  }

  private static double runRaw(
      HttpClient http, String url, List<byte[]> bodies, int concurrency, int events)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      Thread th =
          new Thread(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                  try {
                    HttpResponse<byte[]> r =
                        http.send(
                            HttpRequest.newBuilder(URI.create(url + "/_bulk"))
                                .header("content-type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                                .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    JsonNode n = JSON.readTree(r.body());
                    if (r.statusCode() != 200 || n.path("errors").asBoolean()) {
                      throw new IllegalStateException(
                          "raw bulk failed: "
                              + r.statusCode()
                              + " "
                              + n.toString().substring(0, 300));
                    }
                  } catch (Exception e) {
                    errors.add(e);
                    return;
                  }
                }
              },
              "raw-loader-" + t);
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("raw loader failed", errors.get(0));
    }
    return events / ((System.nanoTime() - start) / 1e9);
  }

  private static double runIndexer(String bootstrap, String url, Options o, int round)
      throws Exception {
    IndexerSettings settings =
        IndexerSettings.defaults(List.of(url))
            .withGroup("bench-indexer-" + round)
            .withIndexPrefix("idx", 0)
            .withBulk(o.batch(), 100L * 1024 * 1024, o.concurrency());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                settings.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    KafkaProducer<byte[], byte[]> dlq =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    ElasticsearchClient client = ElasticsearchClients.create(List.of(url), Duration.ofSeconds(120));
    Indexer indexer = new Indexer(settings, consumer, dlq, client, Clock.system());
    long start = System.nanoTime();
    Thread t = new Thread(indexer, "bench-indexer");
    t.start();
    long deadline = start + Duration.ofMinutes(20).toNanos();
    while (indexer.status().stored() < o.events()) {
      if (System.nanoTime() > deadline || !t.isAlive()) {
        throw new IllegalStateException("indexer stalled at " + indexer.status());
      }
      Thread.sleep(5);
    }
    double rate = o.events() / ((System.nanoTime() - start) / 1e9);
    indexer.close();
    t.join(60_000);
    dlq.close();
    client._transport().close();
    if (indexer.status().deadLettered() > 0) {
      throw new IllegalStateException("the indexer dead-lettered documents: " + indexer.status());
    }
    return rate;
  }

  private static void deleteIndices(HttpClient http, String url, String pattern) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/_cat/indices/" + pattern + "?h=index"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String names = String.join(",", r.body().trim().split("\\s+"));
    if (!names.isBlank() && r.statusCode() == 200) {
      http.send(
          HttpRequest.newBuilder(URI.create(url + "/" + names)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** CPU time of this JVM: the loader's or the indexer's own cost, beside Elasticsearch's. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void quietLogging() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  static Options parse(String[] args) {
    int events = 1_000_000;
    int batch = 5_000;
    int concurrency = 2;
    int rounds = 2;
    String heap = "1g";
    Path json = Path.of("benchmarks/target/indexer-benchmark.json");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value; see --help");
      }
      String v = args[++i];
      switch (a) {
        case "--events" -> events = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--heap" -> heap = v;
        case "--json" -> json = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + "; see --help");
      }
    }
    return new Options(events, batch, concurrency, rounds, heap, json);
  }
}
