package dev.sixfinger.benchmarks.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestMetrics;
import dev.sixfinger.collector.ingest.IngestSettings;
import dev.sixfinger.collector.ingest.KafkaEventSink;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The ingest load benchmark of issue 2: in one run, against one embedded broker, Kafka's own
 * kafka-producer-perf-test (the baseline) and the Riemann TCP gateway with pipelined 100-event
 * messages, same topic, same record size, same producer settings. Prints both side by side with the
 * ratio and the targets, and writes them as JSON.
 */
public final class IngestLoadHarness {

  static final double RATIO_TARGET = 0.70;
  static final double ABSOLUTE_TARGET = 200_000;

  /** The command-line options; see {@link #USAGE}. */
  record Options(
      long events,
      int connections,
      int eventsPerMessage,
      int window,
      double warmupFraction,
      int ioThreads,
      boolean skipBaseline,
      boolean eventPayloads,
      Duration timeout,
      Map<String, String> producerOverrides,
      Path json) {}

  static final String USAGE =
      """
      Usage: run-ingest-benchmark.sh [options]   (or java ... %s [options])

      Starts an embedded Kafka broker in a fresh temporary directory, runs Kafka's own
      kafka-producer-perf-test against it (the baseline), then the Sixfinger Riemann TCP gateway
      with pipelined connections, and prints both with their ratio. Loopback only.

        --events N         events (and baseline records) measured, default 2000000
        --connections C    gateway TCP connections, default 4
        --batch B          events per Riemann message, default 100
        --window W         unanswered messages per connection, default 32
        --warmup F         unmeasured warm-up, as a fraction of N, default 0.1
        --io-threads T     gateway Netty event-loop threads, default the number of cores
        --skip-baseline    gateway only (for quick experiments; no ratio)
        --baseline-payload random|events
                           the baseline's records: the gateway's events as JSON text of the
                           same size (its --payload-file; the default, since they compress
                           like the gateway's records), or random letters (its --record-size)
        --timeout S        seconds each phase may take before the run fails, default 600
        --producer-prop K=V  override a producer setting, for the gateway and the baseline
                           alike (repeatable), e.g. --producer-prop linger.ms=20
        --json PATH        where to write the result, default
                           benchmarks/target/ingest-benchmark.json
        --help             this text
      """
          .formatted(IngestLoadHarness.class.getName());

  private IngestLoadHarness() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(USAGE);
      return;
    }
    System.exit(run(options) ? 0 : 1);
  }

  static Options parse(String[] args) {
    long events = 2_000_000;
    int connections = 4;
    int batch = 100;
    int window = 32;
    double warmup = 0.1;
    int ioThreads = Runtime.getRuntime().availableProcessors();
    boolean skipBaseline = false;
    boolean eventPayloads = true;
    long timeoutSeconds = 600;
    Path json = Path.of("benchmarks", "target", "ingest-benchmark.json");
    Map<String, String> overrides = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--skip-baseline" -> skipBaseline = true;
        case "--baseline-payload" -> {
          String v = value(args, ++i, arg);
          if (!v.equals("random") && !v.equals("events")) {
            throw new IllegalArgumentException(
                "--baseline-payload must be random or events, got " + v);
          }
          eventPayloads = v.equals("events");
        }
        case "--events" -> events = positive(arg, value(args, ++i, arg));
        case "--connections" -> connections = (int) positive(arg, value(args, ++i, arg));
        case "--batch" -> batch = (int) positive(arg, value(args, ++i, arg));
        case "--window" -> window = (int) positive(arg, value(args, ++i, arg));
        case "--io-threads" -> ioThreads = (int) positive(arg, value(args, ++i, arg));
        case "--timeout" -> timeoutSeconds = positive(arg, value(args, ++i, arg));
        case "--json" -> json = Path.of(value(args, ++i, arg));
        case "--producer-prop" -> {
          String v = value(args, ++i, arg);
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--producer-prop needs KEY=VALUE, got " + v);
          }
          overrides.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--warmup" -> {
          String v = value(args, ++i, arg);
          try {
            warmup = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            warmup = -1;
          }
          if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException("--warmup must be >= 0 and < 1, got " + v);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (events < (long) batch * connections) {
      throw new IllegalArgumentException(
          "--events ("
              + events
              + ") must be at least --batch x --connections ("
              + (long) batch * connections
              + ") so that every connection sends a message");
    }
    return new Options(
        events,
        connections,
        batch,
        window,
        warmup,
        ioThreads,
        skipBaseline,
        eventPayloads,
        Duration.ofSeconds(timeoutSeconds),
        overrides,
        json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long positive(String option, String value) {
    long v;
    try {
      v = Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, got " + value, e);
    }
    if (v <= 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          option + " must be between 1 and " + Integer.MAX_VALUE + ", got " + value);
    }
    return v;
  }

  /** The gateway's two runs: the warm-up (only its CPU and failures count) and the measured one. */
  record GatewayRun(GatewayLoad.Result warmup, GatewayLoad.Result measured) {
    long failedReplies() {
      return warmup.failedReplies() + measured.failedReplies();
    }

    String firstError() {
      return warmup.firstError() != null ? warmup.firstError() : measured.firstError();
    }

    /** CPU per event over warm-up and measured run, as for the baseline. */
    double cpuMicrosPerEvent() {
      return (warmup.cpuNanos() + measured.cpuNanos())
          / 1e3
          / (warmup.events() + measured.events());
    }
  }

  /** Runs everything; true when it ran cleanly (whether or not the targets were met). */
  static boolean run(Options o) throws Exception {
    long messages = o.events() / o.eventsPerMessage();
    long events = messages * o.eventsPerMessage();
    long warmupMessages = Math.max(o.connections(), Math.round(messages * o.warmupFraction()));
    long warmupEvents = warmupMessages * o.eventsPerMessage();
    int recordSize = SampleEvents.meanRecordBytes(o.eventsPerMessage());
    Event typical = SampleEvents.typical();
    System.out.printf(
        Locale.US,
        "Ingest benchmark: %,d events (+%,d warm-up), %d cores, record size %d bytes%n"
            + "typical event (%d bytes): %s%n",
        events,
        warmupEvents,
        Runtime.getRuntime().availableProcessors(),
        recordSize,
        RiemannCodec.encode(typical).length,
        typical);
    // Whatever else runs on the machine takes cores from both sides; say how busy it was.
    double loadBefore = CpuTime.loadAverage();
    System.out.printf(Locale.US, "machine load average before the run: %.2f%n", loadBefore);

    Path dataDir = Files.createTempDirectory("sixfinger-ingest-bench-");
    Path payloadFile = null;
    ProducerPerfBaseline.Result baseline = null;
    GatewayRun gateway;
    Map<String, Object> producerConfig;
    long[] logBytes = new long[2];
    try (EmbeddedKafka kafka =
        new EmbeddedKafka(EmbeddedKafka.Settings.defaults().withDataDir(dataDir).withPort(0))) {
      kafka.start();
      String bootstrap = kafka.bootstrapServers();
      new TopicAdmin(bootstrap, TopicAdmin.Settings.defaults()).ensureTopics();
      producerConfig =
          KafkaEventSink.producerConfig(bootstrap, o.producerOverrides(), Duration.ofSeconds(30));
      System.out.println("Embedded Kafka " + bootstrap + ", data in " + dataDir);

      if (!o.skipBaseline()) {
        System.out.println("\n== baseline: kafka-producer-perf-test ==");
        if (o.eventPayloads()) {
          payloadFile = Files.createTempFile("sixfinger-bench-payloads-", ".txt");
          Files.write(payloadFile, SampleEvents.textPayloads(o.eventsPerMessage(), recordSize));
        }
        List<String> command =
            ProducerPerfBaseline.command(
                Topics.EVENTS, events, warmupEvents, recordSize, payloadFile, producerConfig);
        int main = command.indexOf(ProducerPerfBaseline.MAIN_CLASS);
        System.out.println(
            "  java -cp <this classpath> "
                + String.join(" ", command.subList(main, command.size())));
        baseline = ProducerPerfBaseline.run(command, o.timeout());
        logBytes[0] = logBytes(dataDir);
      }

      System.out.printf(
          Locale.US,
          "%n== sixfinger gateway: %d connections, %d-event messages, window %d ==%n",
          o.connections(),
          o.eventsPerMessage(),
          o.window());
      gateway = runGateway(o, bootstrap, messages, warmupMessages);
      logBytes[1] = logBytes(dataDir) - logBytes[0];
    } finally {
      deleteRecursively(dataDir);
      if (payloadFile != null) {
        Files.deleteIfExists(payloadFile);
      }
    }

    Map<String, Object> report =
        report(o, recordSize, warmupEvents, producerConfig, baseline, gateway);
    // What lz4 made of each side's records: the baseline's random payload hardly compresses.
    long recordsPerSide = events + warmupEvents;
    Map<String, Object> log = new LinkedHashMap<>();
    if (baseline != null) {
      log.put("baseline", Math.round(10.0 * logBytes[0] / recordsPerSide) / 10.0);
    }
    log.put("gateway", Math.round(10.0 * logBytes[1] / recordsPerSide) / 10.0);
    report.put("kafkaLog", log);
    report.put("loadAverageBefore", loadBefore);
    report.put("loadAverageAfter", CpuTime.loadAverage());
    printSummary(o, warmupEvents, baseline, gateway, log);
    boolean clean = gateway.failedReplies() == 0;
    if (!clean) {
      System.out.printf(
          Locale.US,
          "FAILED: %,d messages were answered ok=false; first error: %s%n",
          gateway.failedReplies(),
          gateway.firstError());
    }
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(o.json().toFile(), report);
    System.out.println("Written to " + o.json());
    return clean;
  }

  private static GatewayRun runGateway(
      Options o, String bootstrap, long messages, long warmupMessages) throws Exception {
    IngestSettings d = IngestSettings.defaults();
    IngestSettings settings =
        new IngestSettings(
            "127.0.0.1",
            0,
            false,
            d.maxFrameBytes(),
            d.maxInflightBytes(),
            d.defaultTtlSeconds(),
            o.ioThreads());
    IngestMetrics metrics = new IngestMetrics();
    List<byte[]> frames = SampleEvents.frames(o.eventsPerMessage());
    try (KafkaEventSink sink =
            new KafkaEventSink(bootstrap, o.producerOverrides(), Duration.ofSeconds(30), metrics);
        IngestGateway gateway = new IngestGateway(settings, sink, null, metrics, Clock.system())) {
      gateway.start();
      GatewayLoad load =
          new GatewayLoad(
              "127.0.0.1",
              gateway.port(),
              frames,
              o.eventsPerMessage(),
              o.connections(),
              o.window(),
              o.timeout());
      GatewayLoad.Result warmup = load.run("gateway warm-up", warmupMessages);
      System.out.printf(
          Locale.US, "  warm-up: %,.0f events/s (not counted)%n", warmup.eventsPerSecond());
      return new GatewayRun(warmup, load.run("gateway", messages));
    }
  }

  private static void printSummary(
      Options o,
      long warmupEvents,
      ProducerPerfBaseline.Result baseline,
      GatewayRun gateway,
      Map<String, Object> log) {
    GatewayLoad.Result g = gateway.measured();
    double rate = g.eventsPerSecond();
    System.out.println("\n==================== ingest benchmark result ====================");
    if (baseline != null) {
      System.out.printf(
          Locale.US,
          "baseline kafka-producer-perf-test%s: %,.0f records/s (p50 %d ms, p99 %d ms)%n",
          o.eventPayloads() ? " (event payloads)" : "",
          baseline.recordsPerSecond(),
          baseline.p50Ms(),
          baseline.p99Ms());
      System.out.println("  raw: " + baseline.rawLine());
    }
    System.out.printf(
        Locale.US,
        "sixfinger gateway (%d conns, %d-event msgs): %,.0f events/s acknowledged"
            + " (p50 %s ms, p99 %s ms)%n",
        o.connections(),
        o.eventsPerMessage(),
        rate,
        ms(g.latencyNanos(), 50),
        ms(g.latencyNanos(), 99));
    String absolute = rate >= ABSOLUTE_TARGET ? "MET" : "NOT MET";
    if (baseline != null) {
      double ratio = rate / baseline.recordsPerSecond();
      System.out.printf(
          Locale.US,
          "ratio gateway/baseline: %.2f (target >= %.2f): %s; absolute target %,.0f events/s: %s%n",
          ratio,
          RATIO_TARGET,
          ratio >= RATIO_TARGET ? "MET" : "NOT MET",
          ABSOLUTE_TARGET,
          absolute);
    } else {
      System.out.printf(
          Locale.US, "absolute target %,.0f events/s: %s%n", ABSOLUTE_TARGET, absolute);
    }
    // CPU per event moves much less than the rates when other processes share the machine.
    if (baseline != null && baseline.producerCpuNanos() >= 0) {
      long records = baseline.records() + warmupEvents;
      System.out.printf(
          Locale.US,
          "CPU per event: baseline %.1f us (producer JVM %.1f + broker %.1f),"
              + " gateway %.1f us (gateway, broker and load clients)%n",
          (baseline.producerCpuNanos() + baseline.brokerCpuNanos()) / 1e3 / records,
          baseline.producerCpuNanos() / 1e3 / records,
          baseline.brokerCpuNanos() / 1e3 / records,
          gateway.cpuMicrosPerEvent());
    } else {
      System.out.printf(
          Locale.US,
          "CPU per event: gateway %.1f us (gateway, broker and load clients)%n",
          gateway.cpuMicrosPerEvent());
    }
    System.out.println("Kafka log bytes per record after lz4: " + log);
    System.out.println("=================================================================");
  }

  private static Map<String, Object> report(
      Options o,
      int recordSize,
      long warmupEvents,
      Map<String, Object> producerConfig,
      ProducerPerfBaseline.Result baseline,
      GatewayRun gateway) {
    GatewayLoad.Result measured = gateway.measured();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("timestamp", Instant.now().toString());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("java", System.getProperty("java.version"));
    r.put("kafka", AppInfoParser.getVersion());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("events", measured.events());
    settings.put("warmupEvents", warmupEvents);
    settings.put("connections", o.connections());
    settings.put("eventsPerMessage", o.eventsPerMessage());
    settings.put("window", o.window());
    settings.put("ioThreads", o.ioThreads());
    settings.put("recordSizeBytes", recordSize);
    settings.put("baselinePayload", o.eventPayloads() ? "events as JSON text" : "random letters");
    settings.put("eventsPartitions", TopicAdmin.Settings.DEFAULT_EVENTS_PARTITIONS);
    Map<String, String> props = new TreeMap<>();
    producerConfig.forEach((k, v) -> props.put(k, String.valueOf(v)));
    settings.put("producerConfig", props);
    r.put("settings", settings);

    double rate = measured.eventsPerSecond();
    if (baseline != null) {
      long cpuRecords = baseline.records() + warmupEvents;
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("tool", "kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance)");
      b.put("records", baseline.records());
      b.put("recordsPerSecond", baseline.recordsPerSecond());
      b.put("mbPerSecond", baseline.mbPerSecond());
      b.put("avgLatencyMs", baseline.avgLatencyMs());
      b.put("p50Ms", baseline.p50Ms());
      b.put("p95Ms", baseline.p95Ms());
      b.put("p99Ms", baseline.p99Ms());
      b.put("p999Ms", baseline.p999Ms());
      b.put("maxLatencyMs", baseline.maxLatencyMs());
      b.put("rawSummary", baseline.rawLine());
      b.put("producerCpuMicrosPerRecord", baseline.producerCpuNanos() / 1e3 / cpuRecords);
      b.put("brokerCpuMicrosPerRecord", baseline.brokerCpuNanos() / 1e3 / cpuRecords);
      r.put("baseline", b);
    }
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("events", measured.events());
    g.put("messages", measured.messages());
    g.put("seconds", measured.nanos() / 1e9);
    g.put("eventsPerSecond", rate);
    g.put("failedReplies", gateway.failedReplies());
    g.put("firstError", gateway.firstError());
    Histogram h = measured.latencyNanos();
    g.put("latencyMeanMs", h.getMean() / 1e6);
    g.put("p50Ms", ms(h, 50));
    g.put("p95Ms", ms(h, 95));
    g.put("p99Ms", ms(h, 99));
    g.put("p999Ms", ms(h, 99.9));
    g.put("maxLatencyMs", h.getMaxValue() / 1e6);
    g.put("cpuMicrosPerEvent", gateway.cpuMicrosPerEvent());
    r.put("gateway", g);

    Map<String, Object> targets = new LinkedHashMap<>();
    if (baseline != null) {
      double ratio = rate / baseline.recordsPerSecond();
      r.put("ratio", ratio);
      targets.put("ratio", RATIO_TARGET);
      targets.put("ratioMet", ratio >= RATIO_TARGET);
    }
    targets.put("eventsPerSecond", ABSOLUTE_TARGET);
    targets.put("eventsPerSecondMet", rate >= ABSOLUTE_TARGET);
    r.put("targets", targets);
    return r;
  }

  /** A percentile of a nanosecond histogram in milliseconds, one decimal. */
  private static double ms(Histogram h, double percentile) {
    return Math.round(h.getValueAtPercentile(percentile) / 1e5) / 10.0;
  }

  /** Bytes in the log segments of sixfinger.events (index files are preallocated, so left out). */
  private static long logBytes(Path dataDir) throws IOException {
    try (Stream<Path> paths = Files.walk(dataDir)) {
      long total = 0;
      for (Path p : paths.toList()) {
        String dir = p.getParent().getFileName().toString();
        if (dir.startsWith(Topics.EVENTS + "-") && p.toString().endsWith(".log")) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
