package dev.sixfinger.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.server.TestServer;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.KafkaTestLogging;
import dev.sixfinger.server.kafka.TopicAdmin;
import io.dropwizard.testing.ConfigOverride;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler in the real server against a real broker: hosts from the agents' capacity events,
 * jobs over HTTP, health records from sixfinger.health (cordon, drain, clear, guard-rail), operator
 * overrides, executor reports, and a restart that must bring back every job as it was.
 */
class SchedulerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HOSTS = 10;
  private static final long GIB = 1024L * 1024 * 1024;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void quiet() {
    KafkaTestLogging.quiet();
  }

  @Test
  void schedulesAroundUnhealthyHostsWithGuardRailsOverridesAndRestarts() throws Exception {
    EmbeddedKafka kafka = startKafka();
    ConfigOverride[] overrides = {
      ConfigOverride.config("rules.enabled", "false"),
      ConfigOverride.config("scheduler.cycleInterval", "200ms"),
      ConfigOverride.config("scheduler.drainGrace", "3s"),
      ConfigOverride.config("scheduler.maxPerMinute", "100"),
      ConfigOverride.config("scheduler.snapshotInterval", "2s")
    };
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
      JsonNode before;
      try (TestServer server = TestServer.external(kafka.bootstrapServers(), overrides)) {
        String api = server.httpUrl() + "/api/v1";

        // Hosts come from the agents' capacity events: 8 cpus and 16 GiB each.
        for (int i = 0; i < HOSTS; i++) {
          capacity(producer, host(i), 8, 16 * GIB);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> hostsWithCapacity(api) == HOSTS);
        JsonNode n05 = get(api + "/hosts/n05");
        assertThat(n05.path("capacity").path("cpus").asDouble()).isEqualTo(8.0);
        assertThat(n05.path("capacity").path("mem").asLong()).isEqualTo(16 * 1024);
        assertThat(n05.path("attributes").path("rack").asText()).isEqualTo("r5");

        // A cordoned host gets no new placements.
        health(producer, "n00", "cordon");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(api, "n00").equals("cordoned"));
        JsonNode n00 = get(api + "/hosts/n00");
        assertThat(n00.path("cause").asText()).isEqualTo("automation");
        assertThat(n00.path("decisions").get(0).path("rule").asText()).isEqualTo("it-rule");
        assertThat(n00.path("why").toString()).contains("rule it-rule decided cordon");

        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 18; i++) {
          batch.add(job("j" + i, i % 2 == 0 ? "alice" : "bob", 4, 1024, 1));
        }
        HttpResponse<String> created = send("POST", api + "/jobs", batch);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("jobs")).hasSize(18);

        HttpResponse<String> dup = send("POST", api + "/jobs", job("j3", "alice", 1, 64, 1));
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(dup.body()).path("error").asText())
            .contains("job j3 already exists");
        ObjectNode bad = job("bad/uuid", "alice", -1, 64, 1);
        bad.put("colour", "red");
        HttpResponse<String> invalid = send("POST", api + "/jobs", bad);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("violations").toString())
            .contains("unknown field 'colour'")
            .contains("cpus -1.0 must be more than 0")
            .contains("uuid 'bad/uuid'");

        // 18 jobs of 4 cpus fill the nine other hosts exactly; none lands on n00.
        await().atMost(Duration.ofSeconds(30)).until(() -> count(api, "running") == 18);
        assertThat(hostsRunning(api)).doesNotContain("n00").hasSize(9);
        assertThat(send("POST", api + "/jobs", job("extra", "carol", 4, 1024, 1)).statusCode())
            .isEqualTo(201);
        Thread.sleep(1000); // five cycles: the job must still wait
        assertThat(get(api + "/jobs/extra").path("state").asText()).isEqualTo("waiting");
        JsonNode why = get(api + "/unscheduled/extra");
        assertThat(why.path("reason").asText()).isNotEqualTo("schedulable");
        assertThat(why.path("why").asText()).isNotBlank();
        JsonNode queue = get(api + "/queue");
        assertThat(queue.path("jobs").get(0).path("uuid").asText()).isEqualTo("extra");
        assertThat(queue.path("jobs").get(0).path("why").asText()).isNotBlank();
        assertThat(send("DELETE", api + "/jobs/extra", null).statusCode()).isEqualTo(200);
        assertThat(get(api + "/jobs/extra").path("killed").asBoolean()).isTrue();
        assertThat(send("DELETE", api + "/jobs/nope", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", api + "/unscheduled/nope", null).statusCode()).isEqualTo(404);

        // A drained host's instances stop within drainGrace and are requeued without using a
        // retry (each job has one); they run on n00 once its `none` record puts it back.
        List<String> onN01 = jobsOn(api, "n01");
        assertThat(onN01).hasSize(2);
        health(producer, "n01", "drain");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(api, "n01").equals("draining"));
        long drainedAt = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    onN01.stream()
                        .allMatch(
                            u -> get(api + "/jobs/" + u).path("state").asText().equals("waiting")));
        assertThat((System.nanoTime() - drainedAt) / 1e9).isLessThan(3 + 10);
        for (String u : onN01) {
          JsonNode j = get(api + "/jobs/" + u);
          assertThat(j.path("instances").get(0).path("reason").asText()).isEqualTo("drained");
          assertThat(j.path("retriesUsed").asInt()).isZero();
        }
        health(producer, "n00", HealthRecord.NONE);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(api, "n00").equals("healthy"));
        assertThat(get(api + "/hosts/n00").path("cause").asText()).isEqualTo("evidence-cleared");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> onN01.stream().allMatch(u -> runsOn(api, u, "n00")));
        for (String u : onN01) {
          assertThat(get(api + "/jobs/" + u).path("instances")).hasSize(2);
        }

        // Guard-rail: n01 is out; n02 makes two (20% of 10); a third drain is refused and alerts.
        health(producer, "n02", "drain");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(api, "n02").equals("draining"));
        health(producer, "n03", "drain");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(api + "/hosts/n03").path("guardRail").isObject());
        assertThat(state(api, "n03")).isEqualTo("healthy");
        assertThat(get(api + "/hosts/n03").path("why").toString()).contains("max-fraction");
        List<AlertRecord> alerts = alerts(kafka.bootstrapServers(), 1);
        assertThat(alerts).hasSize(1);
        AlertRecord alert = alerts.get(0);
        assertThat(alert.rule()).isEqualTo("scheduler-guard-rail");
        assertThat(alert.severity()).isEqualTo("warning");
        assertThat(alert.status()).isEqualTo(AlertRecord.Status.FIRING);
        assertThat(alert.fingerprint()).isEqualTo("scheduler-guard-rail/max-fraction/n03");
        assertThat(alert.hosts()).containsExactly("n03");
        assertThat(alert.description()).contains("2 of 10 hosts are already out");

        // An operator's override wins over automation, until it is removed.
        ObjectNode ov = JSON.createObjectNode();
        ov.put("state", "healthy").put("ttl", "1 hour").put("author", "jo");
        HttpResponse<String> noReason = send("PUT", api + "/hosts/n02/override", ov);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason is required");
        ov.put("reason", "checked by hand, the swap was a backup job");
        HttpResponse<String> set = send("PUT", api + "/hosts/n02/override", ov);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("state").asText()).isEqualTo("healthy");
        assertThat(JSON.readTree(set.body()).path("cause").asText()).isEqualTo("override");
        assertThat(JSON.readTree(set.body()).path("override").path("author").asText())
            .isEqualTo("jo");
        // Automation renews its drain record: the override still wins.
        health(producer, "n02", "drain");
        Thread.sleep(600);
        assertThat(state(api, "n02")).isEqualTo("healthy");
        // With n02 back by the operator's word, only n01 is out by automation: the drain held
        // back on n03 goes through at the next cycle, and its alert resolves.
        await().atMost(Duration.ofSeconds(30)).until(() -> state(api, "n03").equals("draining"));
        assertThat(get(api + "/hosts/n03").path("guardRail").isNull()).isTrue();
        List<AlertRecord> transitions = alerts(kafka.bootstrapServers(), 2);
        assertThat(transitions)
            .extracting(AlertRecord::fingerprint, AlertRecord::status)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                    "scheduler-guard-rail/max-fraction/n03", AlertRecord.Status.FIRING),
                org.assertj.core.groups.Tuple.tuple(
                    "scheduler-guard-rail/max-fraction/n03", AlertRecord.Status.RESOLVED));
        ov.put("state", "cordon").put("ttl", 600);
        assertThat(send("PUT", api + "/hosts/n07/override", ov).statusCode()).isEqualTo(200);
        assertThat(state(api, "n07")).isEqualTo("cordoned");
        assertThat(send("DELETE", api + "/hosts/n07/override?author=jo", null).statusCode())
            .isEqualTo(200);
        assertThat(state(api, "n07")).isEqualTo("healthy");
        assertThat(send("DELETE", api + "/hosts/n07/override", null).statusCode()).isEqualTo(404);

        // Executors report instance states.
        String task = get(api + "/jobs/j4").path("instances").get(0).path("task").asText();
        ObjectNode report = JSON.createObjectNode().put("state", "success");
        HttpResponse<String> done = send("POST", api + "/instances/" + task + "/status", report);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).path("state").asText()).isEqualTo("completed");
        assertThat(send("POST", api + "/instances/nope-1/status", report).statusCode())
            .isEqualTo(404);
        report.put("state", "exploded");
        assertThat(send("POST", api + "/instances/" + task + "/status", report).statusCode())
            .isEqualTo(400);

        JsonNode usage = get(api + "/usage");
        assertThat(usage.path("users").path("alice").path("runningJobs").asInt()).isPositive();
        assertThat(get(api + "/shares").path("default").path("cpus").asDouble()).isEqualTo(100);
        assertThat(get(api + "/jobs?state=sleeping").isMissingNode()).isTrue();

        // n03's drain deadline passes: its work stops and is requeued; then nothing changes.
        await().atMost(Duration.ofSeconds(30)).until(() -> jobsOn(api, "n03").isEmpty());
        before = settled(api);
        assertThat(before.path("total").asInt()).isEqualTo(19);
      }

      // Restart on the same log: every job, with its state and instances, is back; none twice.
      try (TestServer server = TestServer.external(kafka.bootstrapServers(), overrides)) {
        String api = server.httpUrl() + "/api/v1";
        JsonNode after = settled(api);
        assertThat(after).isEqualTo(before);
        assertThat(state(api, "n01")).isEqualTo("draining");
        assertThat(get(api + "/hosts/n02").path("cause").asText()).isEqualTo("override");
        assertThat(state(api, "n03")).isEqualTo("draining");
        assertThat(state(api, "n00")).isEqualTo("healthy");
        assertThat(send("POST", api + "/jobs", job("j3", "alice", 1, 64, 1)).statusCode())
            .isEqualTo(409);
      }
      assertEveryEventIsInPartitionZeroAndASnapshotExists(kafka.bootstrapServers());
    } finally {
      kafka.close();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static String host(int i) {
    return String.format("n%02d", i);
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
    new TopicAdmin(
            kafka.bootstrapServers(),
            TopicAdmin.Settings.defaults().withEventsPartitions(3).withPartitions(3))
        .ensureTopics();
    return kafka;
  }

  private EmbeddedKafka startKafka() throws Exception {
    return startKafka(dir);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static void capacity(KafkaProducer<byte[], byte[]> p, String host, long cpus, long mem)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    for (Event e :
        List.of(
            Event.builder()
                .host(host)
                .service("capacity/cpus")
                .metric(cpus)
                .timeMicros(now)
                .attribute("rack", "r" + Integer.parseInt(host.substring(1)))
                .build(),
            Event.builder()
                .host(host)
                .service("capacity/memory-bytes")
                .metric(mem)
                .timeMicros(now)
                .attribute("rack", "r" + Integer.parseInt(host.substring(1)))
                .build(),
            Event.builder().host(host).service("cpu/user").metric(0.5).timeMicros(now).build())) {
      p.send(new ProducerRecord<>(Topics.EVENTS, bytes(host), RiemannCodec.encode(e))).get();
    }
  }

  private static void health(KafkaProducer<byte[], byte[]> p, String host, String action)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    List<HealthRecord.Decision> d =
        HealthRecord.NONE.equals(action)
            ? List.of()
            : List.of(
                new HealthRecord.Decision(
                    "it-rule",
                    action,
                    "swap storm",
                    "fp-" + host,
                    now,
                    List.of(
                        Event.builder().host(host).service("swap/in-rate").metric(900.0).build())));
    HealthRecord r = new HealthRecord(host, action, now, now + 600_000_000L, d);
    p.send(new ProducerRecord<>(Topics.HEALTH, bytes(host), RecordJson.toBytes(r))).get();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode job(String uuid, String user, double cpus, long mem, int retries) {
    ObjectNode j = JSON.createObjectNode();
    j.put("uuid", uuid).put("user", user).put("command", "sleep 3600");
    j.put("cpus", cpus).put("mem", mem).put("maxRetries", retries);
    return j;
  }

  private HttpResponse<String> send(String method, String url, JsonNode body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String url) {
    try {
      HttpResponse<String> r = send("GET", url, null);
      if (r.statusCode() != 200) {
        return JSON.missingNode();
      }
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int hostsWithCapacity(String api) {
    int n = 0;
    for (JsonNode h : get(api + "/hosts").path("hosts")) {
      if (h.path("capacity").isObject()) {
        n++;
      }
    }
    return n;
  }

  private String state(String api, String host) {
    return get(api + "/hosts/" + host).path("state").asText();
  }

  private int count(String api, String state) {
    return get(api + "/jobs?state=" + state).path("total").asInt();
  }

  private Set<String> hostsRunning(String api) {
    Set<String> hosts = new TreeSet<>();
    for (JsonNode j : get(api + "/jobs?state=running").path("jobs")) {
      JsonNode is = j.path("instances");
      hosts.add(is.get(is.size() - 1).path("host").asText());
    }
    return hosts;
  }

  private List<String> jobsOn(String api, String host) {
    List<String> out = new ArrayList<>();
    for (JsonNode j : get(api + "/jobs?state=running").path("jobs")) {
      JsonNode is = j.path("instances");
      if (is.get(is.size() - 1).path("host").asText().equals(host)) {
        out.add(j.path("uuid").asText());
      }
    }
    return out;
  }

  private boolean runsOn(String api, String uuid, String host) {
    JsonNode j = get(api + "/jobs/" + uuid);
    JsonNode is = j.path("instances");
    return j.path("state").asText().equals("running")
        && is.get(is.size() - 1).path("host").asText().equals(host);
  }

  /** The job list once two reads a second apart agree (drain deadlines have passed). */
  private JsonNode settled(String api) throws InterruptedException {
    JsonNode last = get(api + "/jobs");
    for (int i = 0; i < 60; i++) {
      Thread.sleep(1000);
      JsonNode now = get(api + "/jobs");
      if (now.equals(last) && !now.isMissingNode()) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the jobs kept changing for 60 s: " + last);
  }

  private static List<AlertRecord> alerts(String bootstrap, int atLeast) {
    List<AlertRecord> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(Topics.ALERTS)
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                  EngineRecord rec = RecordJson.parse(r.value());
                  if (rec instanceof AlertRecord a) {
                    out.add(a);
                  }
                }
                return out.size() >= atLeast;
              });
    }
    return out;
  }

  private static void assertEveryEventIsInPartitionZeroAndASnapshotExists(String bootstrap) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(Topics.SCHEDULER)
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      assertThat(parts).hasSize(3);
      Map<TopicPartition, Long> ends = c.endOffsets(parts);
      assertThat(ends.get(new TopicPartition(Topics.SCHEDULER, 0))).isGreaterThan(50);
      assertThat(ends.get(new TopicPartition(Topics.SCHEDULER, 1))).isZero();
      assertThat(ends.get(new TopicPartition(Topics.SCHEDULER, 2))).isZero();
      TopicPartition state = new TopicPartition(Topics.SCHEDULER_STATE, 0);
      assertThat(c.endOffsets(List.of(state)).get(state)).isPositive();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
