package dev.sixfinger.benchmarks.endtoend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sixfinger.benchmarks.ingest.CpuTime;
import dev.sixfinger.benchmarks.ingest.SampleEvents;
import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestMetrics;
import dev.sixfinger.collector.ingest.IngestSettings;
import dev.sixfinger.collector.ingest.KafkaEventSink;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.runner.EngineRunner;
import dev.sixfinger.rules.runner.RunnerSettings;
import dev.sixfinger.server.kafka.EmbeddedKafka;
import dev.sixfinger.server.kafka.TopicAdmin;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The end-to-end latency benchmark: in one JVM, an embedded Kafka broker, the Riemann TCP gateway
 * with its Kafka sink, and the rules engine runner, with a steady background load of agent events
 * through the gateway. Probe events, one at a time on a connection of their own, each fire an alert
 * of a probe rule; the figure is the time from a probe's ok=true to its firing alert being seen by
 * a read_committed consumer of {@code sixfinger.alerts}. Side by side, the baseline: the time from
 * the same ack to the probe's record being seen by a plain read_committed consumer of {@code
 * sixfinger.events}, the floor any consumer pipeline pays.
 */
public final class EndToEndHarness {

  static final double P99_TARGET_MS = 250;
  private static final Duration CAUGHT_UP_FOR = Duration.ofSeconds(5);

  /** The probe rule, added to the shipped rules: fires at once for each probe host. */
  static final String PROBE_RULE =
      """
      # Added by the end-to-end benchmark: one alert per probe host, at once.
      - name: probe
        match: service = "probe"
        by: [host]
        condition: metric > 0
        for: 0s
        alert: {severity: info, summary: "probe {{host}}"}
      """;

  /** The command-line options; see {@link #USAGE}. */
  record Options(
      double rate,
      Duration warmup,
      Duration maxWarmup,
      Duration duration,
      Duration drain,
      int connections,
      int window,
      int eventsPerMessage,
      Duration probeMin,
      Duration probeMax,
      int eventsPartitions,
      Duration commitInterval,
      Duration snapshotInterval,
      boolean uncommittedFloor,
      int ioThreads,
      Map<String, Object> engineOverrides,
      Map<String, Object> consumerOverrides,
      Path rules,
      Path json) {}

  static final String USAGE =
      """
      Usage: run-e2e-benchmark.sh [options]   (or java ... %s [options])

      Starts an embedded Kafka broker in a fresh temporary directory, the Riemann TCP gateway and
      the rules engine (the shipped rules plus a probe rule), puts a steady load of agent events
      through the gateway, and measures for probe events the time from their ok=true to their
      firing alert in sixfinger.alerts, side by side with the time to their record in
      sixfinger.events (both read by read_committed consumers). Loopback only.

        --rate N             background load, events/s, default 100000
        --warmup S           seconds of load and probes before measuring, at least, default 30
        --max-warmup S       the warm-up goes on past --warmup until the engine has kept up
                             (lag under 1 s) for 5 s, at most this long, default 180. On a
                             small busy machine the JIT takes a while, and the backlog the
                             engine builds meanwhile takes a while to clear
        --duration S         seconds measured, default 60
        --drain S            seconds to wait after the measured window for late alerts
                             (a probe whose alert is still missing then is a failure), default 15
        --probe-interval MS  pause between probes, a range LO-HI drawn uniformly or one value,
                             default 50-100
        --connections C      load connections, default 2
        --window W           unanswered load messages per connection, default 32
        --batch B            events per load message, default 100
        --events-partitions P  partitions of sixfinger.events, default %d
        --commit-interval MS the engine's commit interval, default %d (for experiments)
        --snapshot-interval S  the engine's snapshot interval, default %d (for experiments)
        --uncommitted-floor  also time the probes' records with a read_uncommitted consumer
                             of sixfinger.events: what read_committed readers wait behind
                             the engine's open transactions (its ticks)
        --engine-prop K=V    a Kafka setting for the engine's consumer and producer (repeatable),
                             e.g. --engine-prop fetch.max.wait.ms=10
        --consumer-prop K=V  a Kafka setting for the two measuring consumers (repeatable)
        --io-threads T       gateway Netty event-loop threads, default the number of cores
        --rules DIR          the shipped rules, default config/rules
        --json PATH          where to write the result, default
                             benchmarks/target/e2e-benchmark.json
        --skip-build         (run-e2e-benchmark.sh only) run what was built last
        --help               this text
      """
          .formatted(
              EndToEndHarness.class.getName(),
              TopicAdmin.Settings.DEFAULT_EVENTS_PARTITIONS,
              RunnerSettings.defaults("x").commitInterval().toMillis(),
              RunnerSettings.defaults("x").snapshotInterval().toSeconds());

  private EndToEndHarness() {}

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
    double rate = 100_000;
    long warmup = 30;
    long maxWarmup = 180;
    long duration = 60;
    long drain = 15;
    int connections = 2;
    int window = 32;
    int batch = 100;
    long probeMin = 50;
    long probeMax = 100;
    int partitions = TopicAdmin.Settings.DEFAULT_EVENTS_PARTITIONS;
    Duration commitInterval = RunnerSettings.defaults("x").commitInterval();
    Duration snapshotInterval = RunnerSettings.defaults("x").snapshotInterval();
    boolean uncommittedFloor = false;
    int ioThreads = Runtime.getRuntime().availableProcessors();
    Map<String, Object> engineProps = new TreeMap<>();
    Map<String, Object> consumerProps = new TreeMap<>();
    Path rules = Path.of("config", "rules");
    Path json = Path.of("benchmarks", "target", "e2e-benchmark.json");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--rate" -> rate = number(arg, value(args, ++i, arg), 1, 10_000_000);
        case "--warmup" -> warmup = number(arg, value(args, ++i, arg), 0, 3600);
        case "--max-warmup" -> maxWarmup = number(arg, value(args, ++i, arg), 0, 3600);
        case "--duration" -> duration = number(arg, value(args, ++i, arg), 1, 24 * 3600);
        case "--drain" -> drain = number(arg, value(args, ++i, arg), 1, 3600);
        case "--connections" -> connections = (int) number(arg, value(args, ++i, arg), 1, 256);
        case "--window" -> window = (int) number(arg, value(args, ++i, arg), 1, 100_000);
        case "--batch" -> batch = (int) number(arg, value(args, ++i, arg), 1, 10_000);
        case "--events-partitions" ->
            partitions = (int) number(arg, value(args, ++i, arg), 1, 1000);
        case "--commit-interval" ->
            commitInterval = Duration.ofMillis(number(arg, value(args, ++i, arg), 1, 60_000));
        case "--snapshot-interval" ->
            snapshotInterval = Duration.ofSeconds(number(arg, value(args, ++i, arg), 1, 86_400));
        case "--uncommitted-floor" -> uncommittedFloor = true;
        case "--io-threads" -> ioThreads = (int) number(arg, value(args, ++i, arg), 1, 256);
        case "--probe-interval" -> {
          String v = value(args, ++i, arg);
          int dash = v.indexOf('-');
          probeMin = number(arg, dash < 0 ? v : v.substring(0, dash), 1, 60_000);
          probeMax = dash < 0 ? probeMin : number(arg, v.substring(dash + 1), 1, 60_000);
          if (probeMax < probeMin) {
            throw new IllegalArgumentException(
                "--probe-interval needs LO-HI with LO <= HI, got " + v);
          }
        }
        case "--engine-prop" -> property(arg, value(args, ++i, arg), engineProps);
        case "--consumer-prop" -> property(arg, value(args, ++i, arg), consumerProps);
        case "--rules" -> rules = Path.of(value(args, ++i, arg));
        case "--json" -> json = Path.of(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(
        rate,
        Duration.ofSeconds(warmup),
        Duration.ofSeconds(Math.max(warmup, maxWarmup)),
        Duration.ofSeconds(duration),
        Duration.ofSeconds(drain),
        connections,
        window,
        batch,
        Duration.ofMillis(probeMin),
        Duration.ofMillis(probeMax),
        partitions,
        commitInterval,
        snapshotInterval,
        uncommittedFloor,
        ioThreads,
        engineProps,
        consumerProps,
        rules,
        json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long number(String option, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, got " + value, e);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", got " + value);
    }
    return v;
  }

  private static void property(String option, String v, Map<String, Object> into) {
    int eq = v.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(option + " needs KEY=VALUE, got " + v);
    }
    into.put(v.substring(0, eq), v.substring(eq + 1));
  }

  /** The engine's settings: the defaults, with the commit interval and Kafka overrides given. */
  static RunnerSettings runnerSettings(Options o, String bootstrap) {
    RunnerSettings d = RunnerSettings.defaults(bootstrap);
    return new RunnerSettings(
        d.bootstrapServers(),
        d.group(),
        o.commitInterval(),
        o.snapshotInterval(),
        d.idleTick(),
        d.maxBuffered(),
        d.startFromEarliest(),
        d.engine(),
        o.engineOverrides());
  }

  /** The shipped rules and the probe rule, in a new directory. */
  static RuleSet writeRules(Path shipped, Path into) throws IOException {
    Files.createDirectories(into);
    if (Files.isDirectory(shipped)) {
      try (Stream<Path> files = Files.list(shipped)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
          Files.copy(f, into.resolve(f.getFileName()));
        }
      }
    } else {
      throw new IllegalArgumentException("--rules: no directory " + shipped);
    }
    Files.writeString(into.resolve("zz-e2e-probe.yml"), PROBE_RULE);
    RuleSet set = RuleSet.load(into);
    if (!set.ok()) {
      throw new IllegalArgumentException(
          "the rules in " + shipped + " have errors: " + set.errors());
    }
    return set;
  }

  /** The probe id of a firing probe alert, or -1 for any other record. */
  static int probeAlertId(byte[] value) {
    EngineRecord r;
    try {
      r = RecordJson.parse(value);
    } catch (RuntimeException e) {
      return -1;
    }
    if (r instanceof AlertRecord a
        && a.status() == AlertRecord.Status.FIRING
        && "probe".equals(a.rule())) {
      return ProbeTracker.idOf(a.labels().get("host"));
    }
    return -1;
  }

  private static TopicWatcher uncommittedWatcher(
      Options o, String bootstrap, ProbeTracker tracker) {
    Map<String, Object> props = new TreeMap<>(o.consumerOverrides());
    props.put("isolation.level", "read_uncommitted");
    props.put("client.id", "e2e-watch-uncommitted");
    return new TopicWatcher(
        bootstrap,
        Topics.EVENTS,
        props,
        (r, seen) -> {
          int id = ProbeTracker.idOfKey(r.key());
          if (id >= 0) {
            tracker.uncommittedSeen(id, seen);
          }
        });
  }

  /** How much of [from, to) the stop-the-world pauses covered, in nanoseconds. */
  static long pausedNanos(long from, long to, List<GcPauses.Pause> pauses) {
    long total = 0;
    for (GcPauses.Pause p : pauses) {
      long start = Math.max(from, p.startNanos());
      long end = Math.min(to, p.startNanos() + p.durationMillis() * 1_000_000L);
      total += Math.max(0, end - start);
    }
    return total;
  }

  /**
   * The slow probes against the pauses and snapshots: for the probes at or above the p99 of ack to
   * alert, how much of that time the JVM was stopped for GC, and how many had a snapshot commit
   * inside; and one row per probe for plotting.
   */
  static Map<String, Object> correlate(
      List<ProbeTimes> probes,
      long originNanos,
      List<GcPauses.Pause> pauses,
      List<Long> snapshots,
      double p99Ms) {
    List<List<Object>> rows = new ArrayList<>();
    Histogram paused = new Histogram(3);
    long slow = 0;
    long slowNanos = 0;
    long slowPaused = 0;
    long slowWithSnapshot = 0;
    for (ProbeTimes p : probes) {
      if (!p.acked() || !p.alerted()) {
        continue;
      }
      long inGc = pausedNanos(p.ackNanos(), p.alertSeenNanos(), pauses);
      paused.recordValue(inGc);
      long e2e = p.alertSeenNanos() - p.ackNanos();
      if (e2e / 1e6 >= p99Ms) {
        slow++;
        slowNanos += e2e;
        slowPaused += inGc;
        if (snapshots.stream().anyMatch(t -> t >= p.ackNanos() && t <= p.alertSeenNanos())) {
          slowWithSnapshot++;
        }
      }
      rows.add(
          List.of(
              round1((p.sendNanos() - originNanos) / 1e6),
              round1(e2e / 1e6),
              p.eventSeen() ? round1((p.eventSeenNanos() - p.ackNanos()) / 1e6) : -1,
              round1((p.alertRecordNanos() - p.ackNanos()) / 1e6),
              round1(inGc / 1e6)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gcPausedDuringProbe", ProbeStats.summary(paused));
    Map<String, Object> tail = new LinkedHashMap<>();
    tail.put("probes", slow);
    tail.put("meanMs", slow == 0 ? null : round1(slowNanos / 1e6 / slow));
    tail.put("meanGcPausedMs", slow == 0 ? null : round1(slowPaused / 1e6 / slow));
    tail.put("withSnapshotCommitInside", slowWithSnapshot);
    m.put("probesAtOrAboveP99", tail);
    m.put(
        "timelineColumns",
        List.of(
            "sentAtMs",
            "ackToAlertMs",
            "ackToEventMs (-1: never seen)",
            "ackToEngineEmitMs",
            "gcPausedMs"));
    m.put("timeline", rows);
    return m;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** Counters sampled at the edges of the measured window. */
  private record Mark(
      long nanos,
      long ackedEvents,
      long cpuNanos,
      EngineRunner.Status engine,
      long eventsRead,
      ThreadCpu.Sample threads,
      long gcCount,
      long gcMillis) {}

  /** Runs everything; true when it ran cleanly and every measured probe's alert arrived. */
  static boolean run(Options o) throws Exception {
    double loadBefore = CpuTime.loadAverage();
    System.out.printf(
        Locale.US,
        "End-to-end benchmark: %,.0f events/s background load (%d-event messages, %d hosts, %d"
            + " connections), warm-up %d-%d s, measured %d s, probes every %d-%d ms%n"
            + "%d cores, machine load average before the run: %.2f%n",
        o.rate(),
        o.eventsPerMessage(),
        SampleEvents.HOSTS,
        o.connections(),
        o.warmup().toSeconds(),
        o.maxWarmup().toSeconds(),
        o.duration().toSeconds(),
        o.probeMin().toMillis(),
        o.probeMax().toMillis(),
        Runtime.getRuntime().availableProcessors(),
        loadBefore);

    GcPauses gcPauses = new GcPauses();
    Path dir = Files.createTempDirectory("sixfinger-e2e-bench-");
    RuleSet rules = writeRules(o.rules(), dir.resolve("rules"));
    ProbeTracker tracker = new ProbeTracker();
    Duration timeout = Duration.ofSeconds(60);
    Map<String, Object> report = new LinkedHashMap<>();
    boolean clean = true;
    String problem = null;
    try (EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafka.Settings.defaults().withDataDir(dir.resolve("kafka")).withPort(0))) {
      kafka.start();
      String bootstrap = kafka.bootstrapServers();
      new TopicAdmin(
              bootstrap, TopicAdmin.Settings.defaults().withEventsPartitions(o.eventsPartitions()))
          .ensureTopics();
      System.out.println("Embedded Kafka " + bootstrap + ", data in " + dir);

      RunnerSettings settings = runnerSettings(o, bootstrap);
      EngineRunner runner = new EngineRunner(rules, settings, Clock.system());
      Thread engineThread = new Thread(runner, "rules-engine");
      engineThread.setDaemon(true);
      engineThread.start();
      awaitRunning(runner, Duration.ofSeconds(60));
      System.out.printf(
          Locale.US,
          "Rules engine running: %d rules (%s), commit interval %d ms%n",
          rules.rules().size(),
          rules.rules().stream().map(r -> r.name()).toList(),
          settings.commitInterval().toMillis());

      AtomicLong otherAlerts = new AtomicLong();
      IngestSettings d = IngestSettings.defaults();
      IngestSettings ingest =
          new IngestSettings(
              "127.0.0.1",
              0,
              false,
              d.maxFrameBytes(),
              d.maxInflightBytes(),
              d.defaultTtlSeconds(),
              o.ioThreads());
      IngestMetrics metrics = new IngestMetrics();
      try (TopicWatcher events =
              new TopicWatcher(
                  bootstrap,
                  Topics.EVENTS,
                  o.consumerOverrides(),
                  (r, seen) -> {
                    int id = ProbeTracker.idOfKey(r.key());
                    if (id >= 0) {
                      tracker.eventSeen(id, seen, r.timestamp());
                    }
                  });
          TopicWatcher alerts =
              new TopicWatcher(
                  bootstrap,
                  Topics.ALERTS,
                  o.consumerOverrides(),
                  (r, seen) -> {
                    int id = probeAlertId(r.value());
                    if (id >= 0) {
                      tracker.alertSeen(id, seen, r.timestamp());
                    } else {
                      otherAlerts.incrementAndGet();
                    }
                  });
          TopicWatcher uncommitted =
              o.uncommittedFloor() ? uncommittedWatcher(o, bootstrap, tracker) : null;
          KafkaEventSink sink =
              new KafkaEventSink(bootstrap, Map.of(), Duration.ofSeconds(30), metrics);
          IngestGateway gateway = new IngestGateway(ingest, sink, null, metrics, Clock.system())) {
        events.start();
        alerts.start();
        if (uncommitted != null) {
          uncommitted.start();
        }
        gateway.start();
        PacedLoad load =
            new PacedLoad(
                "127.0.0.1",
                gateway.port(),
                PacedLoad.untimedFrames(o.eventsPerMessage()),
                o.eventsPerMessage(),
                o.connections(),
                o.window(),
                o.rate(),
                timeout);
        ProbeSender probes =
            new ProbeSender(
                "127.0.0.1", gateway.port(), timeout, tracker, o.probeMin(), o.probeMax());
        EngineSampler sampler = new EngineSampler(runner);
        load.start();
        probes.start();
        sampler.start();
        Progress progress = new Progress(load, tracker, runner, sampler);
        Mark start;
        Mark end;
        boolean caughtUp;
        double warmupSeconds;
        PacedLoad.Result loadResult;
        try {
          System.out.printf(
              Locale.US,
              "%n== warm-up: %d s, then until the engine keeps up, at most %d s (not counted) ==%n",
              o.warmup().toSeconds(),
              o.maxWarmup().toSeconds());
          long warmupStart = System.nanoTime();
          caughtUp =
              progress.runFor(
                  o.warmup(),
                  o.maxWarmup(),
                  () -> sampler.caughtUpFor(CAUGHT_UP_FOR),
                  probes,
                  events,
                  alerts);
          warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
          if (!caughtUp) {
            System.out.printf(
                Locale.US,
                "  the engine has not kept up within %d s (lag %.0f ms); measuring anyway%n",
                o.maxWarmup().toSeconds(),
                sampler.lastLagMillis());
          }
          start = mark(load, runner, events);
          load.measuring(true);
          probes.measuring(true);
          sampler.measuring(true);
          System.out.printf(Locale.US, "%n== measuring: %d s ==%n", o.duration().toSeconds());
          progress.runFor(o.duration(), o.duration(), () -> true, probes, events, alerts);
          probes.measuring(false);
          end = mark(load, runner, events);
          load.measuring(false);
          sampler.measuring(false);
          System.out.printf(
              Locale.US,
              "%n== waiting up to %d s for the alerts of %d measured probes ==%n",
              o.drain().toSeconds(),
              tracker.outstanding());
          long deadline = System.nanoTime() + o.drain().toNanos();
          while (tracker.outstanding() > 0 && System.nanoTime() < deadline) {
            checkFailures(load, probes, events, alerts);
            TimeUnit.MILLISECONDS.sleep(50);
          }
        } finally {
          probes.close();
          sampler.close();
          loadResult = load.stop();
        }
        EngineRunner.Status finalStatus = runner.status();
        runner.stop();
        engineThread.join(60_000);

        ProbeStats stats = ProbeStats.of(tracker.measured());
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        double achieved = (end.ackedEvents() - start.ackedEvents()) / seconds;
        double cores = (end.cpuNanos() - start.cpuNanos()) / 1e9 / seconds;
        long ticks = end.engine().ticksWritten() - start.engine().ticksWritten();
        long processed = end.engine().eventsProcessed() - start.engine().eventsProcessed();
        long snapshots = end.engine().snapshots() - start.engine().snapshots();
        double loadAfter = CpuTime.loadAverage();
        Map<String, Double> threadCores =
            ThreadCpu.coresByGroup(start.threads(), end.threads(), seconds);
        double engineCpuMicrosPerEvent =
            threadCores.getOrDefault("engine thread", 0.0) * seconds * 1e6 / Math.max(1, processed);

        report.put("timestamp", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("java", System.getProperty("java.version"));
        report.put("kafka", AppInfoParser.getVersion());
        report.put("loadAverageBefore", loadBefore);
        report.put("loadAverageAfter", loadAfter);
        report.put("settings", settingsReport(o, settings));
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("targetEventsPerSecond", o.rate());
        l.put("achievedEventsPerSecond", Math.round(achieved));
        l.put("messagesSent", loadResult.sentMessages());
        l.put("messagesAcked", loadResult.ackedMessages());
        l.put("messagesDroppedFromSchedule", loadResult.droppedMessages());
        l.put("failedReplies", loadResult.failedReplies());
        l.put("firstError", loadResult.firstError());
        l.put("messageAckLatency", ProbeStats.summary(loadResult.measuredLatencyNanos()));
        report.put("load", l);
        report.put("probes", probesReport(stats));
        report.put("endToEnd", ProbeStats.summary(stats.ackToAlert()));
        report.put("baselineEventsTopic", ProbeStats.summary(stats.ackToEvent()));
        report.put("engineAdded", ProbeStats.summary(stats.eventToAlert()));
        if (o.uncommittedFloor()) {
          report.put(
              "baselineEventsTopicReadUncommitted", ProbeStats.summary(stats.ackToUncommitted()));
        }
        Map<String, Object> breakdown = new LinkedHashMap<>();
        breakdown.put("probeSendToAck", ProbeStats.summary(stats.sendToAck()));
        breakdown.put("ackToEngineEmit", ProbeStats.summary(stats.ackToEmit()));
        breakdown.put("engineEmitToAlertSeen", ProbeStats.summary(stats.emitToVisible()));
        report.put("breakdown", breakdown);
        Double ratio = ratio(stats.ackToAlert(), stats.ackToEvent(), 99);
        Double ratio50 = ratio(stats.ackToAlert(), stats.ackToEvent(), 50);
        report.put("ratioP99", ratio);
        report.put("ratioP50", ratio50);
        Map<String, Object> fromSend = new LinkedHashMap<>();
        fromSend.put("endToEnd", ProbeStats.summary(stats.sendToAlert()));
        fromSend.put("baselineEventsTopic", ProbeStats.summary(stats.sendToEvent()));
        Double sendRatio = ratio(stats.sendToAlert(), stats.sendToEvent(), 99);
        Double sendRatio50 = ratio(stats.sendToAlert(), stats.sendToEvent(), 50);
        fromSend.put("ratioP99", sendRatio);
        fromSend.put("ratioP50", sendRatio50);
        report.put("fromProbeSend", fromSend);
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("eventsProcessedPerSecond", Math.round(processed / seconds));
        engine.put("threadCpuMicrosPerEvent", Math.round(100 * engineCpuMicrosPerEvent) / 100.0);
        engine.put("ticksWritten", ticks);
        engine.put("ticksPerSecond", Math.round(10.0 * ticks / seconds) / 10.0);
        engine.put("snapshots", snapshots);
        engine.put("lastSnapshotBytes", finalStatus.lastSnapshotBytes());
        engine.put("indexSize", finalStatus.indexSize());
        engine.put("state", finalStatus.state().name());
        engine.put("lastError", finalStatus.lastError());
        engine.put("statusLagMs", ProbeStats.summary(sampler.lagNanos()));
        engine.put("otherAlertRecords", otherAlerts.get());
        report.put("engine", engine);
        report.put("jvmCpuCoresUsed", Math.round(100 * cores) / 100.0);
        report.put("cpuCoresByThreadGroup", threadCores);
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("collections", end.gcCount() - start.gcCount());
        gc.put("millis", end.gcMillis() - start.gcMillis());
        gc.put(
            "fractionOfWallTime",
            Math.round(1000.0 * (end.gcMillis() - start.gcMillis()) / 1000 / seconds) / 1000.0);
        report.put("gc", gc);
        Map<String, Object> warm = new LinkedHashMap<>();
        warm.put("seconds", Math.round(warmupSeconds * 10) / 10.0);
        warm.put("engineCaughtUp", caughtUp);
        report.put("warmup", warm);
        report.put(
            "baselineConsumerRecordsPerSecond",
            Math.round((end.eventsRead() - start.eventsRead()) / seconds));
        double p99 = ProbeStats.ms(stats.ackToAlert(), 99);
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("p99Ms", P99_TARGET_MS);
        target.put("met", stats.failures() == 0 && p99 < P99_TARGET_MS);
        report.put("target", target);
        List<GcPauses.Pause> pauses = gcPauses.between(start.nanos(), System.nanoTime());
        List<Long> snapshotTimes = sampler.snapshotNanos();
        Map<String, Object> gcReport = new LinkedHashMap<>();
        List<GcPauses.Pause> measuredPauses = gcPauses.between(start.nanos(), end.nanos());
        gcReport.put("pauses", measuredPauses.size());
        gcReport.put(
            "pausedMs", measuredPauses.stream().mapToLong(GcPauses.Pause::durationMillis).sum());
        gcReport.put(
            "longestPauseMs",
            measuredPauses.stream().mapToLong(GcPauses.Pause::durationMillis).max().orElse(0));
        gcReport.put(
            "collectors",
            measuredPauses.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        p -> p.collector() + " (" + p.cause() + ")",
                        TreeMap::new,
                        java.util.stream.Collectors.counting())));
        report.put("gcPauses", gcReport);
        report.put(
            "snapshotCommitsAtMs",
            snapshotTimes.stream().map(t -> round1((t - start.nanos()) / 1e6)).toList());
        Map<String, Object> correlation =
            correlate(tracker.measured(), start.nanos(), pauses, snapshotTimes, p99);

        report.put("probeCorrelation", correlation);
        if (loadResult.failedReplies() > 0) {
          clean = false;
          problem =
              loadResult.failedReplies()
                  + " load messages were answered ok=false; first error: "
                  + loadResult.firstError();
        } else if (stats.failures() > 0) {
          clean = false;
          problem =
              stats.alertMissing()
                  + " measured probes got no alert within the drain time (ids "
                  + stats.missingAlertIds()
                  + "), "
                  + stats.refused()
                  + " were refused";
        }
        printSummary(
            o,
            stats,
            achieved,
            loadResult,
            cores,
            ticks,
            snapshots,
            sampler,
            finalStatus,
            loadBefore,
            loadAfter,
            new Double[] {ratio50, ratio, sendRatio50, sendRatio},
            p99);
        @SuppressWarnings("unchecked")
        Map<String, Object> tail = (Map<String, Object>) correlation.get("probesAtOrAboveP99");
        System.out.printf(
            Locale.US,
            "slowest 1%% (%s probes, mean %s ms): %s ms of it GC pauses on average, %s with a"
                + " snapshot commit inside; stop-the-world GC while measuring: %d pauses, %d ms in"
                + " all, longest %d ms%n",
            tail.get("probes"),
            tail.get("meanMs"),
            tail.get("meanGcPausedMs"),
            tail.get("withSnapshotCommitInside"),
            measuredPauses.size(),
            measuredPauses.stream().mapToLong(GcPauses.Pause::durationMillis).sum(),
            measuredPauses.stream().mapToLong(GcPauses.Pause::durationMillis).max().orElse(0));
        System.out.printf(
            Locale.US,
            "engine: %,.0f events/s processed while measuring, its thread %.2f us of CPU per event;"
                + " warm-up %.0f s (engine caught up: %s)%nCPU (cores) by thread group: %s%n",
            processed / seconds,
            engineCpuMicrosPerEvent,
            warmupSeconds,
            caughtUp,
            threadCores);
        System.out.println("=====================================================================");
      }
    } finally {
      gcPauses.close();
      deleteRecursively(dir);
    }
    if (problem != null) {
      System.out.println("FAILED: " + problem);
      report.put("failure", problem);
    }
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(o.json().toFile(), report);
    System.out.println("Written to " + o.json());
    return clean;
  }

  private static void printSummary(
      Options o,
      ProbeStats s,
      double achieved,
      PacedLoad.Result load,
      double cores,
      long ticks,
      long snapshots,
      EngineSampler sampler,
      EngineRunner.Status status,
      double loadBefore,
      double loadAfter,
      Double[] ratios,
      double p99) {
    System.out.println("\n==================== end-to-end benchmark result ====================");
    System.out.printf(
        Locale.US,
        "background load: %,.0f events/s achieved (target %,.0f); load message ack p50 %.1f ms,"
            + " p99 %.1f ms; %d messages dropped from the schedule%n",
        achieved,
        o.rate(),
        ProbeStats.ms(load.measuredLatencyNanos(), 50),
        ProbeStats.ms(load.measuredLatencyNanos(), 99),
        load.droppedMessages());
    System.out.printf(
        Locale.US,
        "probes measured: %d, acknowledged %d, refused %d, alert missing %d, event missing %d%n",
        s.probes(),
        s.acked(),
        s.refused(),
        s.alertMissing(),
        s.eventMissing());
    System.out.println(
        "                                       p50      p90      p99     max  (ms, from ok=true)");
    line("end to end: firing alert seen", s.ackToAlert());
    line("baseline: record in events seen", s.ackToEvent());
    line("engine added (alert - event)", s.eventToAlert());
    if (o.uncommittedFloor()) {
      line("  (read_uncommitted: record seen)", s.ackToUncommitted());
    }
    line("from send: firing alert seen", s.sendToAlert());
    line("from send: record in events seen", s.sendToEvent());
    System.out.println("breakdown:");
    line("  probe send to ok=true", s.sendToAck());
    line("  ok=true to engine emit", s.ackToEmit());
    line("  engine emit to alert seen", s.emitToVisible());
    System.out.printf(
        Locale.US,
        "ratio end-to-end / baseline: p50 %s, p99 %s from ok=true; p50 %s, p99 %s from send%n"
            + "target p99 < %.0f ms with no missing alert: %s%n",
        text(ratios[0]),
        text(ratios[1]),
        text(ratios[2]),
        text(ratios[3]),
        P99_TARGET_MS,
        s.failures() == 0 && p99 < P99_TARGET_MS ? "MET" : "NOT MET");
    System.out.printf(
        Locale.US,
        "engine: %d ticks written, %d snapshots (last %,d bytes), index %,d entries, status lag"
            + " p99 %.1f ms; record seen before the ack by the baseline consumer: %d probes%n",
        ticks,
        snapshots,
        status.lastSnapshotBytes(),
        status.indexSize(),
        ProbeStats.ms(sampler.lagNanos(), 99),
        s.eventBeforeAck());
    System.out.printf(
        Locale.US,
        "JVM CPU while measuring: %.2f cores of %d; load average %.2f before, %.2f after%n",
        cores,
        Runtime.getRuntime().availableProcessors(),
        loadBefore,
        loadAfter);
  }

  /** a / b at a percentile, one decimal; null when either is empty or b is 0. */
  static Double ratio(Histogram a, Histogram b, double percentile) {
    double r = ProbeStats.ms(a, percentile) / ProbeStats.ms(b, percentile);
    return Double.isFinite(r) ? Math.round(r * 10) / 10.0 : null;
  }

  private static String text(Double ratio) {
    return ratio == null ? "n/a" : String.format(Locale.US, "%.1f", ratio);
  }

  private static void line(String label, Histogram h) {
    System.out.printf(
        Locale.US,
        "%-36s %8.1f %8.1f %8.1f %8.1f%n",
        label,
        ProbeStats.ms(h, 50),
        ProbeStats.ms(h, 90),
        ProbeStats.ms(h, 99),
        h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6);
  }

  private static Map<String, Object> settingsReport(Options o, RunnerSettings settings) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rateEventsPerSecond", o.rate());
    s.put("warmupSeconds", o.warmup().toSeconds());
    s.put("maxWarmupSeconds", o.maxWarmup().toSeconds());
    s.put("measuredSeconds", o.duration().toSeconds());
    s.put("drainSeconds", o.drain().toSeconds());
    s.put("connections", o.connections());
    s.put("window", o.window());
    s.put("eventsPerMessage", o.eventsPerMessage());
    s.put("hosts", SampleEvents.HOSTS);
    s.put("probeIntervalMs", o.probeMin().toMillis() + "-" + o.probeMax().toMillis());
    s.put("eventsPartitions", o.eventsPartitions());
    s.put("commitIntervalMs", settings.commitInterval().toMillis());
    s.put("uncommittedFloor", o.uncommittedFloor());
    s.put("snapshotIntervalMs", settings.snapshotInterval().toMillis());
    s.put("idleTickMs", settings.idleTick().toMillis());
    s.put("engineKafkaOverrides", new TreeMap<>(o.engineOverrides()));
    s.put("consumerOverrides", new TreeMap<>(o.consumerOverrides()));
    s.put("ioThreads", o.ioThreads());
    s.put("rules", o.rules().toString());
    return s;
  }

  private static Map<String, Object> probesReport(ProbeStats s) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("measured", s.probes());
    p.put("acknowledged", s.acked());
    p.put("refused", s.refused());
    p.put("alertMissing", s.alertMissing());
    p.put("missingAlertIds", s.missingAlertIds());
    p.put("eventMissing", s.eventMissing());
    p.put("eventSeenBeforeAck", s.eventBeforeAck());
    p.put("failures", s.failures());
    return p;
  }

  private static Mark mark(PacedLoad load, EngineRunner runner, TopicWatcher events) {
    return new Mark(
        System.nanoTime(),
        load.ackedEvents(),
        CpuTime.thisProcess(),
        runner.status(),
        events.records(),
        ThreadCpu.sample(),
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionCount)
            .sum(),
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionTime)
            .sum());
  }

  private static void awaitRunning(EngineRunner runner, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (runner.status().state() != EngineRunner.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the rules engine is not running after "
                + timeout.toSeconds()
                + " s: "
                + runner.status().state()
                + " "
                + runner.status().lastError());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  static void checkFailures(
      PacedLoad load, ProbeSender probes, TopicWatcher events, TopicWatcher alerts) {
    Throwable t =
        load.failure() != null
            ? load.failure()
            : probes.failure() != null
                ? probes.failure()
                : events.failure() != null ? events.failure() : alerts.failure();
    if (t != null) {
      throw new IllegalStateException("the benchmark failed: " + t, t);
    }
  }

  /** Prints the load, probes and engine every five seconds. */
  private static final class Progress {
    private final PacedLoad load;
    private final ProbeTracker tracker;
    private final EngineRunner runner;
    private final EngineSampler sampler;
    private long lastAcked;
    private long lastNanos = System.nanoTime();

    Progress(PacedLoad load, ProbeTracker tracker, EngineRunner runner, EngineSampler sampler) {
      this.sampler = sampler;
      this.load = load;
      this.tracker = tracker;
      this.runner = runner;
    }

    /** Runs at least {@code min}, then until {@code done}, at most {@code max}; returns done. */
    boolean runFor(
        Duration min,
        Duration max,
        BooleanSupplier done,
        ProbeSender probes,
        TopicWatcher events,
        TopicWatcher alerts)
        throws InterruptedException {
      long begin = System.nanoTime();
      long end = begin + max.toNanos();
      long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < end) {
        if (System.nanoTime() - begin >= min.toNanos() && done.getAsBoolean()) {
          return true;
        }
        checkFailures(load, probes, events, alerts);
        TimeUnit.MILLISECONDS.sleep(
            Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        if (System.nanoTime() >= nextPrint) {
          print();
          nextPrint += TimeUnit.SECONDS.toNanos(5);
        }
      }
      return done.getAsBoolean();
    }

    private void print() {
      long acked = load.ackedEvents();
      long now = System.nanoTime();
      EngineRunner.Status s = runner.status();
      System.out.printf(
          Locale.US,
          "  load %,.0f events/s; probes sent %d, alerted %d; engine %s, %,d events, %,d ticks,"
              + " %d snapshots, lag %,.0f ms%n",
          (acked - lastAcked) * 1e9 / (now - lastNanos),
          tracker.count(),
          tracker.alerted(),
          s.state(),
          s.eventsProcessed(),
          s.ticksWritten(),
          s.snapshots(),
          sampler.lastLagMillis());
      lastAcked = acked;
      lastNanos = now;
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
