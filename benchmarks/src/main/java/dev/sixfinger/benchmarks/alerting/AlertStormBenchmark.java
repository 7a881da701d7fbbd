package dev.sixfinger.benchmarks.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Comparison;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Model;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Observed;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Stats;
import dev.sixfinger.benchmarks.alerting.StormAccounting.Transition;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.server.alerting.AlertingFactory;
import dev.sixfinger.server.alerting.AlertingService;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The alert storm benchmark of issue 5: alert transitions written as AlertRecord JSON to {@code
 * sixfinger.alerts} of an embedded broker at a paced rate, as a rules engine would, through the
 * real {@link AlertingService} (leader lease, replay, ticks, sending, notification log) into the
 * {@link PagerDutyTestServer}. What PagerDuty got is compared with what the timing rules expect
 * ({@link StormAccounting}), and the latency from a transition's write to the PagerDuty request
 * that first carries it is measured.
 */
public final class AlertStormBenchmark {
  static final double FIRST_P99_TARGET_MS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTING_KEY = "B3NCHR0UT1NGKEY0123456789abcdefA";
  private static final String RECEIVER = "storm-pager";

  record Options(
      int ratePerMinute,
      int durationSeconds,
      int groups,
      int alertsPerGroup,
      int groupWaitMs,
      int groupIntervalMs,
      int tickMs,
      long seed,
      Path json) {}

  static final String USAGE =
      """
      Usage: run-alert-storm-benchmark.sh [options]

      Starts an embedded Kafka broker, the PagerDuty test server and the real AlertingService
      (one PagerDuty receiver, group_by [service], flapping off, rate limits raised), writes paced
      alert transitions (random alerts flipped firing/resolved; in the last fifth of the run the
      odd groups only resolve) to sixfinger.alerts, waits until the last flush is due, and
      compares PagerDuty's events with the timing rules. Loopback only; stops by itself.

        --rate N              transitions per minute, default 100000
        --duration S          seconds of writing, default 60
        --groups G            alert groups (values of the service label), default 1000
        --alerts-per-group A  alerts per group (values of the host label), default 10
        --group-wait MS       group_wait, default 1000
        --group-interval MS   group_interval, default 5000
        --tick MS             the service's tickInterval, default 1000 (the shipped default)
        --seed N              random seed, default 5
        --json PATH           where to write the result, default
                              benchmarks/target/alert-storm-benchmark.json
        --help                this text
      """;

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    if (o == null) {
      System.out.println(USAGE);
      return;
    }
    // The JDK's HTTP server under the PagerDuty test server answers in two TCP segments; with
    // Nagle's algorithm and the client's delayed ACK every request then takes about 40 ms more on
    // loopback (measured: 48 ms against 3 ms per request), which would measure the test server,
    // not alerting. Must be set before the server's classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    quietLogging();
    Path dir = Files.createTempDirectory("sixfinger-alert-storm");
    Path config = writeConfig(dir, o);
    System.out.printf(
        Locale.ROOT,
        "Alert storm: %,d transitions/min for %d s over %,d groups x %d alerts; group_wait %d ms,"
            + " group_interval %d ms, repeat_interval 4h, tick %d ms, flapping off, PagerDuty"
            + " rate limit raised to 1,000,000/min%n",
        o.ratePerMinute(),
        o.durationSeconds(),
        o.groups(),
        o.alertsPerGroup(),
        o.groupWaitMs(),
        o.groupIntervalMs(),
        o.tickMs());
    System.out.println("Starting Kafka, the PagerDuty test server and the alerting service...");
    try (EmbeddedKafka kafka = startKafka(dir);
        PagerDutyTestServer pd = PagerDutyTestServer.start()) {
      long heapBeforeService = usedHeapAfterGc();
      AlertingFactory f = new AlertingFactory();
      f.setConfigFile(config.toString());
      f.setPagerDutyUrl(pd.baseUrl().toString());
      f.setGroup("bench-alerting");
      f.useTickInterval(Duration.ofMillis(o.tickMs()));
      f.setPagerDutyRate(1_000_000, 1_000_000);
      AlertingService service = new AlertingService(f, kafka.bootstrapServers(), Map.of());
      service.start();
      long waitUntil = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (service.state() != AlertingService.State.LEADING) {
        if (System.nanoTime() > waitUntil || service.state() == AlertingService.State.FAILED) {
          throw new IllegalStateException(
              "alerting did not lead: " + service.state() + " " + service.lastError());
        }
        Thread.sleep(50);
      }
      Watcher watcher = new Watcher(pd);
      watcher.start();
      Resources before = Resources.sample();
      resetPeaks();
      List<Transition> written = write(kafka.bootstrapServers(), o);
      long writeEnd = System.nanoTime();
      Model model =
          StormAccounting.expected(
              written,
              Duration.ofMillis(o.groupWaitMs()).toNanos(),
              Duration.ofMillis(o.groupIntervalMs()).toNanos());
      // The last flush of the model is due at most group_wait + group_interval after the last
      // write; then wait until PagerDuty has been quiet for two intervals.
      long settleFrom =
          writeEnd
              + Duration.ofMillis(o.groupWaitMs() + o.groupIntervalMs() + o.tickMs()).toNanos();
      long deadline = writeEnd + Duration.ofSeconds(120).toNanos();
      int lastCount = -1;
      long quietSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        Thread.sleep(250);
        int n = watcher.count();
        if (n != lastCount) {
          lastCount = n;
          quietSince = System.nanoTime();
        } else if (System.nanoTime() > settleFrom
            && System.nanoTime() - quietSince > 2L * o.groupIntervalMs() * 1_000_000) {
          break;
        }
      }
      long end = System.nanoTime();
      Resources after = Resources.sample();
      watcher.close();
      long heapWithService = usedHeapAfterGc();
      GcTotals gc = GcTotals.sample();
      long peakHeap = peakHeap();
      long sent = service.sentCount();
      long failedSends = service.failedCount();
      service.stop();

      Map<String, Integer> groupOf = new HashMap<>();
      for (Transition t : written) {
        groupOf.put(t.fingerprint(), t.group());
      }
      Comparison c =
          StormAccounting.compare(
              model,
              written,
              watcher.observed(),
              groupOf,
              pd.openIncidents().keySet(),
              o.groups(),
              Duration.ofMillis(o.groupWaitMs()).toNanos());
      double seconds = (end - before.atNanos) / 1e9;
      report(
          o,
          written,
          model,
          c,
          pd,
          sent,
          failedSends,
          before,
          after,
          seconds,
          gc,
          peakHeap,
          heapWithService,
          heapBeforeService);
    }
  }

  // ---------------------------------------------------------------- set-up

  private static Path writeConfig(Path dir, Options o) throws Exception {
    Path f = dir.resolve("alerting.yml");
    Files.writeString(
        f,
        """
        external_url: http://console.bench:8080
        receivers:
          - name: %s
            pagerduty:
              routing_key: %s
        route:
          receiver: %s
          group_by: [service]
          group_wait: %dms
          group_interval: %dms
          repeat_interval: 4h
        flapping: {enabled: false}
        """
            .formatted(RECEIVER, ROUTING_KEY, RECEIVER, o.groupWaitMs(), o.groupIntervalMs()));
    return f;
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

  // ---------------------------------------------------------------- the storm

  /** The labels of alert {@code a} of group {@code g}. */
  static Map<String, String> labels(int g, int a) {
    return Alerts.labels(
        "alertname",
        "storm",
        "service",
        "svc-" + g,
        "host",
        "h-" + g + "-" + a,
        "severity",
        "critical");
  }

  private static List<Transition> write(String bootstrap, Options o) throws Exception {
    int alerts = o.groups() * o.alertsPerGroup();
    List<Map<String, String>> labels = new ArrayList<>(alerts);
    String[] fps = new String[alerts];
    for (int i = 0; i < alerts; i++) {
      labels.add(labels(i / o.alertsPerGroup(), i % o.alertsPerGroup()));
      fps[i] = Alerts.fingerprint(labels.get(i));
    }
    boolean[] firing = new boolean[alerts];
    long[] startsAt = new long[alerts];
    long total = (long) o.ratePerMinute() * o.durationSeconds() / 60;
    long period = Math.round(60e9 / o.ratePerMinute());
    long drainFrom = total * 4 / 5;
    Random random = new Random(o.seed());
    List<Transition> written = new ArrayList<>((int) total);
    System.out.printf(
        Locale.ROOT, "Writing %,d transitions to %s, paced...%n", total, Topics.ALERTS);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int part = 0; part < p.partitionsFor(Topics.ALERTS).size(); part++) {
        awaitLeader(p, part);
      }
      long start = System.nanoTime();
      long nextReport = start + 10_000_000_000L;
      for (long k = 0; k < total; k++) {
        long due = start + k * period;
        long now = System.nanoTime();
        if (due > now) {
          LockSupport.parkNanos(due - now);
        }
        int i;
        do {
          i = random.nextInt(alerts);
          // In the last fifth, odd groups only resolve, so that the run ends with a mix of open
          // and closed incidents.
        } while (k >= drainFrom && (i / o.alertsPerGroup()) % 2 == 1 && !firing[i]);
        firing[i] = !firing[i];
        long micros = System.currentTimeMillis() * 1000;
        AlertRecord r;
        if (firing[i]) {
          startsAt[i] = micros;
          r = Alerts.firing(labels.get(i), micros, micros);
        } else {
          r = Alerts.resolved(labels.get(i), startsAt[i], micros);
        }
        long at = System.nanoTime();
        p.send(
            new ProducerRecord<>(
                Topics.ALERTS, fps[i].getBytes(StandardCharsets.UTF_8), RecordJson.toBytes(r)));
        written.add(new Transition(i / o.alertsPerGroup(), fps[i], firing[i], at));
        if (at >= nextReport) {
          System.out.printf(
              Locale.ROOT, "  %,d written, %.0f/min%n", k + 1, (k + 1) * 60e9 / (at - start));
          nextReport += 10_000_000_000L;
        }
      }
      p.flush();
      long took = System.nanoTime() - start;
      System.out.printf(
          Locale.ROOT,
          "  %,d written in %.1f s: %,.0f/min%n",
          total,
          took / 1e9,
          total * 60e9 / took);
    }
    return written;
  }

  private static void awaitLeader(KafkaProducer<byte[], byte[]> p, int partition)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        // A tick-like record the service ignores (null value), only to wait for the leader.
        p.send(new ProducerRecord<>(Topics.ALERTS, partition, (byte[]) null, (byte[]) null)).get();
        return;
      } catch (ExecutionException e) {
        if (attempt > 50) {
          throw new IllegalStateException("partition " + partition + " has no leader", e);
        }
        Thread.sleep(200);
      }
    }
  }

  // ---------------------------------------------------------------- measuring

  /**
   * Timestamps PagerDuty's accepted events as they arrive: polls the test server every 2 ms (the
   * resolution of the latencies) and reads only what is new.
   */
  private static final class Watcher extends Thread implements AutoCloseable {
    private final PagerDutyTestServer pd;
    private final List<Observed> observed = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int count;

    Watcher(PagerDutyTestServer pd) {
      super("storm-pd-watcher");
      this.pd = pd;
      setDaemon(true);
    }

    @Override
    public void run() {
      int seenRequests = 0;
      while (running) {
        int r = pd.requests();
        if (r != seenRequests) {
          seenRequests = r;
          long now = System.nanoTime();
          List<PagerDutyTestServer.Accepted> all = pd.accepted();
          synchronized (observed) {
            for (int i = observed.size(); i < all.size(); i++) {
              PagerDutyTestServer.Accepted a = all.get(i);
              Set<String> fps = new HashSet<>();
              for (JsonNode n : a.event().path("payload").path("custom_details").path("firing")) {
                fps.add(n.path("fingerprint").asText());
              }
              observed.add(new Observed(now, a.dedupKey(), a.action(), fps));
            }
            count = observed.size();
          }
        }
        LockSupport.parkNanos(2_000_000);
      }
    }

    int count() {
      return count;
    }

    List<Observed> observed() {
      synchronized (observed) {
        return List.copyOf(observed);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      join(5_000);
    }
  }

  /** CPU and allocation of the alerting threads and of the whole process at one moment. */
  private record Resources(
      long atNanos, long processCpu, Map<String, Long> cpu, Map<String, Long> alloc) {
    static Resources sample() {
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      Map<String, Long> cpu = new HashMap<>();
      Map<String, Long> alloc = new HashMap<>();
      long[] ids = threads.getAllThreadIds();
      ThreadInfo[] infos = threads.getThreadInfo(ids);
      for (int i = 0; i < ids.length; i++) {
        if (infos[i] == null) {
          continue;
        }
        String key = ids[i] + ":" + infos[i].getThreadName();
        cpu.put(key, Math.max(0, threads.getThreadCpuTime(ids[i])));
        alloc.put(key, Math.max(0, threads.getThreadAllocatedBytes(ids[i])));
      }
      long process =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      return new Resources(System.nanoTime(), process, cpu, alloc);
    }
  }

  /** Which part of the process a thread belongs to. */
  static String part(String threadName) {
    if (threadName.equals("alerting")) {
      return "alerting loop";
    }
    if (threadName.startsWith("alerting-sender") || threadName.startsWith("HttpClient-")) {
      return "alerting sender (PagerDuty client)";
    }
    if (threadName.contains("sixfinger-alerting") || threadName.contains("bench-alerting")) {
      return "alerting Kafka clients and lease";
    }
    if (threadName.startsWith("storm-") || threadName.equals("main")) {
      return "harness";
    }
    if (threadName.contains("producer-")) {
      return "load producer";
    }
    if (threadName.startsWith("pool-")) {
      return "PagerDuty test server";
    }
    return "broker and other";
  }

  private static Map<String, Long> byPart(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new java.util.TreeMap<>();
    after.forEach(
        (k, v) ->
            out.merge(
                part(k.substring(k.indexOf(':') + 1)), v - before.getOrDefault(k, 0L), Long::sum));
    return out;
  }

  private record GcTotals(long collections, long millis) {
    static GcTotals sample() {
      long n = 0;
      long ms = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        n += Math.max(0, gc.getCollectionCount());
        ms += Math.max(0, gc.getCollectionTime());
      }
      return new GcTotals(n, ms);
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Used heap after full collections (System.gc, twice). */
  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---------------------------------------------------------------- the result

  private static void report(
      Options o,
      List<Transition> written,
      Model model,
      Comparison c,
      PagerDutyTestServer pd,
      long sent,
      long failedSends,
      Resources before,
      Resources after,
      double seconds,
      GcTotals gc,
      long peakHeap,
      long heapWithService,
      long heapBeforeService)
      throws Exception {
    Map<String, Long> cpu = byPart(before.cpu(), after.cpu());
    Map<String, Long> alloc = byPart(before.alloc(), after.alloc());
    long alertingCpu =
        cpu.entrySet().stream()
            .filter(e -> e.getKey().startsWith("alerting"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long alertingAlloc =
        alloc.entrySet().stream()
            .filter(e -> e.getKey().startsWith("alerting"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long processCpu = after.processCpu() - before.processCpu();
    int triggers = 0;
    int resolves = 0;
    for (PagerDutyTestServer.Accepted a : pd.accepted()) {
      if (a.action().equals("trigger")) {
        triggers++;
      } else if (a.action().equals("resolve")) {
        resolves++;
      }
    }
    boolean firstMet = c.firstBeyondGroupWait().p99() < FIRST_P99_TARGET_MS;
    boolean correct =
        c.groupsWrong() == 0
            && c.consecutiveDuplicates() == 0
            && pd.duplicates() == 0
            && pd.rejected().isEmpty()
            && failedSends == 0;
    System.out.printf(
        Locale.ROOT,
        "%nwritten: %,d transitions (%,d groups x %d alerts)%n",
        written.size(),
        o.groups(),
        o.alertsPerGroup());
    System.out.printf(
        Locale.ROOT,
        "PagerDuty: %,d events accepted (%,d trigger, %,d resolve), %d rejected; service sent %,d,"
            + " failed %d%n",
        c.observed(),
        triggers,
        resolves,
        pd.rejected().size(),
        sent,
        failedSends);
    System.out.printf(
        Locale.ROOT,
        "expected by the timing rules: %,d notifications (%,d first of a group); got %,d (%+.1f%%)%n",
        model.notifications(),
        model.firstNotifications(),
        c.observed(),
        100.0 * (c.observed() - model.notifications()) / Math.max(1, model.notifications()));
    System.out.printf(
        Locale.ROOT,
        "final state: %,d groups should have an open incident; %d groups wrong %s%n",
        c.groupsShouldBeOpen(),
        c.groupsWrong(),
        c.wrongExamples());
    System.out.printf(
        Locale.ROOT,
        "duplicates: %d consecutive identical events per dedup_key, %d by the test server%n",
        c.consecutiveDuplicates(),
        pd.duplicates());
    printStats(
        "first notification of a group, write -> PagerDuty minus group_wait",
        c.firstBeyondGroupWait());
    printStats("updates, write -> PagerDuty", c.updateLatency());
    printStats("updates, beyond the flush the timing rules set", c.updateBeyondDueFlush());
    System.out.printf(
        Locale.ROOT,
        "  carried transitions not measured (PagerDuty did not show them before the alert's next"
            + " transition): %,d of %,d%n",
        c.carriedNotSeen(),
        model.carried().size());
    System.out.printf(
        Locale.ROOT,
        "CPU over %.1f s: alerting %.2f s (%.1f%% of one core), process %.2f s; by part %s%n",
        seconds,
        alertingCpu / 1e9,
        100 * alertingCpu / 1e9 / seconds,
        processCpu / 1e9,
        cpuSeconds(cpu));
    System.out.printf(
        Locale.ROOT,
        "allocated by the alerting threads: %,d MiB (%.1f KiB per transition)%n",
        alertingAlloc >> 20,
        alertingAlloc / 1024.0 / written.size());
    System.out.printf(
        Locale.ROOT,
        "heap: peak used %,d MiB (broker included); after full GC %,d MiB before the service"
            + " started, %,d MiB at the end (the service's state and the broker's growth: %,d MiB);"
            + " %d collections, %,d ms%n",
        peakHeap >> 20,
        heapBeforeService >> 20,
        heapWithService >> 20,
        (heapWithService - heapBeforeService) >> 20,
        gc.collections(),
        gc.millis());
    System.out.printf(
        Locale.ROOT,
        "targets: first-notification p99 beyond group_wait < %.0f ms: %s; final state and no"
            + " duplicates: %s%n",
        FIRST_P99_TARGET_MS,
        firstMet ? "met" : "NOT met",
        correct ? "met" : "NOT met");

    ObjectNode out = JSON.createObjectNode();
    ObjectNode settings = out.putObject("settings");
    settings.put("ratePerMinute", o.ratePerMinute());
    settings.put("durationSeconds", o.durationSeconds());
    settings.put("groups", o.groups());
    settings.put("alertsPerGroup", o.alertsPerGroup());
    settings.put("groupWaitMs", o.groupWaitMs());
    settings.put("groupIntervalMs", o.groupIntervalMs());
    settings.put("repeatInterval", "4h");
    settings.put("tickMs", o.tickMs());
    settings.put("flapping", false);
    settings.put("seed", o.seed());
    out.put("transitionsWritten", written.size());
    out.put("pagerDutyEvents", c.observed());
    out.put("pagerDutyTriggers", triggers);
    out.put("pagerDutyResolves", resolves);
    out.put("pagerDutyRejected", pd.rejected().size());
    out.put("serviceSent", sent);
    out.put("serviceFailed", failedSends);
    out.put("expectedNotifications", model.notifications());
    out.put("expectedFirstNotifications", model.firstNotifications());
    out.put("groupsShouldBeOpen", c.groupsShouldBeOpen());
    out.put("groupsWrongFinalState", c.groupsWrong());
    out.put("consecutiveDuplicates", c.consecutiveDuplicates());
    out.put("testServerDuplicates", pd.duplicates());
    out.set("firstBeyondGroupWaitMs", JSON.valueToTree(c.firstBeyondGroupWait()));
    out.set("updateLatencyMs", JSON.valueToTree(c.updateLatency()));
    out.set("updateBeyondDueFlushMs", JSON.valueToTree(c.updateBeyondDueFlush()));
    out.put("carriedNotSeen", c.carriedNotSeen());
    out.put("seconds", seconds);
    out.put("alertingCpuSeconds", alertingCpu / 1e9);
    out.put("processCpuSeconds", processCpu / 1e9);
    out.set("cpuSecondsByPart", JSON.valueToTree(cpuSeconds(cpu)));
    out.put("alertingAllocatedBytes", alertingAlloc);
    out.put("peakHeapBytes", peakHeap);
    out.put("heapAfterGcWithServiceBytes", heapWithService);
    out.put("heapAfterGcBeforeServiceBytes", heapBeforeService);
    out.put("pagerDutyTestServerNodelay", System.getProperty("sun.net.httpserver.nodelay"));
    out.put("gcCollections", gc.collections());
    out.put("gcMillis", gc.millis());
    out.put("firstP99TargetMs", FIRST_P99_TARGET_MS);
    out.put("firstTargetMet", firstMet);
    out.put("correct", correct);
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    Files.writeString(o.json(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    System.out.println("written to " + o.json());
  }

  private static Map<String, Double> cpuSeconds(Map<String, Long> nanos) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    nanos.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() / 1e7) / 100.0));
    return out;
  }

  private static void printStats(String what, Stats s) {
    System.out.printf(
        Locale.ROOT,
        "latency, %s: n=%,d p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        what,
        s.count(),
        s.p50(),
        s.p99(),
        s.max());
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
    int rate = 100_000;
    int duration = 60;
    int groups = 1_000;
    int perGroup = 10;
    int wait = 1_000;
    int interval = 5_000;
    int tick = 1_000;
    long seed = 5;
    Path json = Path.of("benchmarks/target/alert-storm-benchmark.json");
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
        case "--rate" -> rate = Integer.parseInt(v);
        case "--duration" -> duration = Integer.parseInt(v);
        case "--groups" -> groups = Integer.parseInt(v);
        case "--alerts-per-group" -> perGroup = Integer.parseInt(v);
        case "--group-wait" -> wait = Integer.parseInt(v);
        case "--group-interval" -> interval = Integer.parseInt(v);
        case "--tick" -> tick = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--json" -> json = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + "; see --help");
      }
    }
    if (rate <= 0 || duration <= 0 || groups <= 0 || perGroup <= 0 || interval <= 0) {
      throw new IllegalArgumentException("rate, duration, groups and intervals must be positive");
    }
    return new Options(rate, duration, groups, perGroup, wait, interval, tick, seed, json);
  }
}
