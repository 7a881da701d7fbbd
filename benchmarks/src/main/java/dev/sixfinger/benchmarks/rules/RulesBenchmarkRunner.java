package dev.sixfinger.benchmarks.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sixfinger.benchmarks.index.IndexBenchmark;
import dev.sixfinger.benchmarks.index.IndexHeapFootprint;
import dev.sixfinger.benchmarks.jmh.CpuCounters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the index and rules benchmarks with JMH (each beside its baseline, in the same run), the
 * index heap measurement in a JVM of its own, and optionally a profile of the rules; prints a
 * summary with the ratios and the targets, and writes it as JSON. See {@link #USAGE}.
 */
public final class RulesBenchmarkRunner {

  static final double LOOKUP_TARGET_NS = 1_000;
  static final double PREFIX_TARGET_MS = 100;
  static final double HEAP_TARGET_BYTES = 1L << 30;
  static final double RULES_TARGET_EVENTS_PER_S = 1_000_000;
  static final String BASELINE_SUT = "query-loop";

  static final String USAGE =
      """
      Usage: run-rules-benchmark.sh [options]   (or java ... %s [options])

      JMH benchmarks of the index and of rule evaluation, each beside its baseline in the same
      run, one fork each; then a summary with the ratios and the targets. Run from the
      repository root (the rules benchmark reads config/rules).

        --only LIST            any of index,heap,rules (comma-separated), default all three
        --quick                a short run to try things out: 1 warm-up and 2 measured
                               iterations, 1,000 hosts only, a smaller pre-roll (about 4 minutes)
        --hosts LIST           hosts of the rules benchmark, default 1000,10000
        --sut LIST             systems under test of the rules benchmark: streams (the rules
                               compiled to streams), engine (RuleEngine: index, dispatch by
                               service, streams), query-loop (the baseline); default
                               streams,query-loop. See RulesUnderTest.create to add one
        --generated-rules N    rules generated on top of config/rules, default 100
        --preroll-events N     events fed untimed before the rules are measured, default 2500000
        --index-hosts N        hosts in the index, default 20000
        --index-services N     services per host in the index, default 50
        --warmup-iterations N  override the benchmarks' own (index 2 x 2 s, rules 2 x 5 s)
        --iterations N         override the measured iterations (index 5 x 2 s, rules 5 x 5 s)
        --iteration-seconds S  override the time of each iteration, warm-up and measured
        --profile              after the rules benchmark, profile the first system under test
                               at the first host count with Java Flight Recorder (30 s)
        --json PATH            where to write the summary, default
                               benchmarks/target/rules-benchmark.json
        --help                 this text
      """
          .formatted(RulesBenchmarkRunner.class.getName());

  record Options(
      Set<String> only,
      boolean quick,
      List<String> hosts,
      List<String> suts,
      int generatedRules,
      long prerollEvents,
      int indexHosts,
      int indexServices,
      Integer warmupIterations,
      Integer iterations,
      Integer iterationSeconds,
      boolean profile,
      Path json) {}

  private RulesBenchmarkRunner() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println();
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.print(USAGE);
      return;
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    String loadBefore = loadAverage();
    summary.put("cores", Runtime.getRuntime().availableProcessors());
    summary.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    summary.put("loadAverageBefore", loadBefore);
    if (o.only().contains("heap")) {
      Map<String, Object> heap = heap(o);
      summary.put("heap", heap);
      text.append(heapText(heap));
    }
    if (o.only().contains("index")) {
      Collection<RunResult> results = new Runner(indexOptions(o).build()).run();
      List<Map<String, Object>> index = indexPairs(results);
      summary.put("index", index);
      text.append(indexText(index, o));
    }
    if (o.only().contains("rules")) {
      Collection<RunResult> results = new Runner(rulesOptions(o).build()).run();
      List<Map<String, Object>> rules = rulesRows(results, o);
      summary.put("rules", rules);
      text.append(rulesText(rules, o));
      if (o.profile()) {
        profile(o);
      }
    }
    String loadAfter = loadAverage();
    summary.put("loadAverageAfter", loadAfter);
    System.out.println();
    System.out.println("==================== Summary ====================");
    System.out.printf(
        Locale.ROOT,
        "%d cores, %s; load average (1, 5, 15 min) before: %s, after: %s%n",
        Runtime.getRuntime().availableProcessors(),
        summary.get("java"),
        loadBefore,
        loadAfter);
    System.out.print(text);
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(o.json().toFile(), summary);
    System.out.println();
    System.out.println("Written to " + o.json());
  }

  /** The options, or null for --help. */
  static Options parse(String[] args) {
    Set<String> only = new LinkedHashSet<>(List.of("heap", "index", "rules"));
    boolean quick = false;
    List<String> hosts = null;
    List<String> suts = List.of("streams", BASELINE_SUT);
    int generatedRules = 100;
    Long prerollEvents = null;
    int indexHosts = 20_000;
    int indexServices = 50;
    Integer warmups = null;
    Integer iterations = null;
    Integer seconds = null;
    boolean profile = false;
    Path json = Path.of("benchmarks/target/rules-benchmark.json");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--quick" -> quick = true;
        case "--profile" -> profile = true;
        case "--only" -> {
          only = new LinkedHashSet<>(list(value(args, ++i, a)));
          for (String part : only) {
            if (!Set.of("heap", "index", "rules").contains(part)) {
              throw new IllegalArgumentException(
                  "--only takes heap, index and rules, not '" + part + "'");
            }
          }
        }
        case "--hosts" -> hosts = positiveInts(list(value(args, ++i, a)), a);
        case "--sut" -> suts = list(value(args, ++i, a));
        case "--generated-rules" -> generatedRules = nonNegative(value(args, ++i, a), a);
        case "--preroll-events" -> prerollEvents = (long) nonNegative(value(args, ++i, a), a);
        case "--index-hosts" -> indexHosts = positive(value(args, ++i, a), a);
        case "--index-services" -> indexServices = positive(value(args, ++i, a), a);
        case "--warmup-iterations" -> warmups = nonNegative(value(args, ++i, a), a);
        case "--iterations" -> iterations = positive(value(args, ++i, a), a);
        case "--iteration-seconds" -> seconds = positive(value(args, ++i, a), a);
        case "--json" -> json = Path.of(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (quick) {
      warmups = warmups == null ? 1 : warmups;
      iterations = iterations == null ? 2 : iterations;
    }
    if (hosts == null) {
      hosts = quick ? List.of("1000") : List.of("1000", "10000");
    }
    if (prerollEvents == null) {
      prerollEvents = quick ? 700_000L : 2_500_000L;
    }
    return new Options(
        only,
        quick,
        hosts,
        suts,
        generatedRules,
        prerollEvents,
        indexHosts,
        indexServices,
        warmups,
        iterations,
        seconds,
        profile,
        json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static int positive(String value, String option) {
    int n = nonNegative(value, option);
    if (n == 0) {
      throw new IllegalArgumentException(option + " must be positive, got " + value);
    }
    return n;
  }

  private static int nonNegative(String value, String option) {
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n < 0) {
        throw new IllegalArgumentException(option + " must not be negative, got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number, got " + value, e);
    }
  }

  private static List<String> positiveInts(List<String> values, String option) {
    for (String v : values) {
      positive(v, option);
    }
    return values;
  }

  // ---------------------------------------------------------------------------------------------
  // Heap

  private static Map<String, Object> heap(Options o) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms3g", "-Xmx3g", "-cp"));
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(IndexHeapFootprint.class.getName());
    cmd.add(Integer.toString(o.indexHosts()));
    cmd.add(Integer.toString(o.indexServices()));
    System.out.printf(
        Locale.ROOT,
        "# Index heap: %,d x %,d entries, in a JVM of its own (serial GC)...%n",
        o.indexHosts(),
        o.indexServices());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String json = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(IndexHeapFootprint.PREFIX)) {
          json = line.substring(IndexHeapFootprint.PREFIX.length());
        } else {
          System.out.println(line);
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || json == null) {
      throw new IllegalStateException("the heap measurement failed (exit code " + exit + ")");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> heap = new ObjectMapper().readValue(json, LinkedHashMap.class);
    return heap;
  }

  static String heapText(Map<String, Object> h) {
    long entries = num(h, "entries").longValue();
    double events = num(h, "eventBytesPerEntry").doubleValue();
    double index = num(h, "indexOverheadBytesPerEntry").doubleValue();
    double map = num(h, "hashMapOverheadBytesPerEntry").doubleValue();
    double total = num(h, "indexTotalBytes").doubleValue();
    double mapTotal = num(h, "hashMapTotalBytes").doubleValue();
    return String.format(
        Locale.ROOT,
        """

        Index heap, %,d entries (used heap after full GCs, serial GC):
          events alone            %6.0f B/entry
          index (besides events)  %6.0f B/entry   baseline HashMap: %.0f B/entry (index/HashMap %.2fx)
          index with its events   %6.0f MiB        baseline HashMap with events: %.0f MiB (%.2fx)
          target: 1M entries under 1 GiB: %s (%.0f MiB)
        """,
        entries,
        events,
        index,
        map,
        index / map,
        total / (1 << 20),
        mapTotal / (1 << 20),
        total / mapTotal,
        total * 1_000_000.0 / entries < HEAP_TARGET_BYTES ? "met" : "NOT met",
        total * 1_000_000.0 / entries / (1 << 20));
  }

  // ---------------------------------------------------------------------------------------------
  // Index

  /** Each index benchmark and its baseline, in the order of the summary. */
  static final List<List<String>> INDEX_PAIRS =
      List.of(
          List.of("lookup", "lookupBaselineHashMap", "lookup of host and service"),
          List.of("prefixQuery", "prefixQueryBaselineLoop", "query service =~ \"swap%\""),
          List.of("scanMetric", "scanMetricBaselineLoop", "query metric > 0.9 (full scan)"),
          List.of("scanMetric", "scanMetricBaselineLoopSorted", "  same, baseline loop + sort"),
          List.of(
              "scanDescription",
              "scanDescriptionBaselineLoop",
              "query description =~ \"%timeout%\" (full scan)"));

  private static ChainedOptionsBuilder indexOptions(Options o) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(IndexBenchmark.class.getName() + ".")
            .param("hosts", Integer.toString(o.indexHosts()))
            .param("services", Integer.toString(o.indexServices()));
    if (o.quick()) {
      b.warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
    }
    return common(b, o);
  }

  private static ChainedOptionsBuilder common(ChainedOptionsBuilder b, Options o) {
    b.forks(1).shouldFailOnError(true);
    if (o.warmupIterations() != null) {
      b.warmupIterations(o.warmupIterations());
    }
    if (o.iterations() != null) {
      b.measurementIterations(o.iterations());
    }
    if (o.iterationSeconds() != null) {
      b.warmupTime(TimeValue.seconds(o.iterationSeconds()))
          .measurementTime(TimeValue.seconds(o.iterationSeconds()));
    }
    return b;
  }

  private static List<Map<String, Object>> indexPairs(Collection<RunResult> results) {
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      byName.put(name.substring(name.lastIndexOf('.') + 1), r);
    }
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (List<String> pair : INDEX_PAIRS) {
      RunResult ours = byName.get(pair.get(0));
      RunResult base = byName.get(pair.get(1));
      if (ours == null || base == null) {
        continue;
      }
      String unit = ours.getPrimaryResult().getScoreUnit();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("benchmark", pair.get(0));
      m.put("baselineBenchmark", pair.get(1));
      m.put("what", pair.get(2));
      m.put("unit", unit);
      m.put("index", ours.getPrimaryResult().getScore());
      m.put("indexError", finite(ours.getPrimaryResult().getScoreError()));
      m.put("baselineScore", base.getPrimaryResult().getScore());
      m.put("baselineError", finite(base.getPrimaryResult().getScoreError()));
      m.put("ratio", ours.getPrimaryResult().getScore() / base.getPrimaryResult().getScore());
      double oursCpu = fromNanos(cpuNanosPerOp(ours), unit);
      double baseCpu = fromNanos(cpuNanosPerOp(base), unit);
      m.put("indexCpu", oursCpu);
      m.put("baselineCpu", baseCpu);
      m.put("cpuRatio", oursCpu / baseCpu);
      pairs.add(m);
    }
    return pairs;
  }

  /** CPU time per operation from the {@link CpuCounters} of a result; NaN if it has none. */
  static double cpuNanosPerOp(RunResult r) {
    Result<?> cpu = r.getSecondaryResults().get("cpuNanos");
    Result<?> ops = r.getSecondaryResults().get("ops");
    if (cpu == null || ops == null || ops.getScore() == 0) {
      return Double.NaN;
    }
    return cpu.getScore() / ops.getScore();
  }

  static String indexText(List<Map<String, Object>> pairs, Options o) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%nIndex, %,d entries (%,d hosts x %d services), time per operation, wall clock (JMH's"
                + " score, ± its 99.9%% interval)%nand CPU (the JVM's, GC included);"
                + " ratio = index / baseline (below 1: the index is faster):%n",
            (long) o.indexHosts() * o.indexServices(),
            o.indexHosts(),
            o.indexServices()));
    t.append(
        String.format(
            Locale.ROOT,
            "  %-42s %20s %20s %6s  %10s %10s %6s  %s%n",
            "",
            "index",
            "baseline",
            "ratio",
            "index CPU",
            "base CPU",
            "ratio",
            "target (wall; CPU)"));
    for (Map<String, Object> p : pairs) {
      String unit = (String) p.get("unit");
      double score = num(p, "index").doubleValue();
      double cpu = num(p, "indexCpu").doubleValue();
      String target = "";
      if (p.get("benchmark").equals("lookup")) {
        target =
            "< 1 us: "
                + metOrNot(toNanos(score, unit) < LOOKUP_TARGET_NS)
                + "; "
                + metOrNot(toNanos(cpu, unit) < LOOKUP_TARGET_NS);
      } else if (p.get("benchmark").equals("prefixQuery")) {
        target =
            "< 100 ms: "
                + metOrNot(toNanos(score, unit) < PREFIX_TARGET_MS * 1e6)
                + "; "
                + metOrNot(toNanos(cpu, unit) < PREFIX_TARGET_MS * 1e6);
      }
      t.append(
          String.format(
              Locale.ROOT,
              "  %-42s %20s %20s %5.2fx  %10s %10s %5.2fx  %s%n",
              p.get("what"),
              withError(score, num(p, "indexError").doubleValue(), unit),
              withError(
                  num(p, "baselineScore").doubleValue(),
                  num(p, "baselineError").doubleValue(),
                  unit),
              num(p, "ratio").doubleValue(),
              plain(cpu, unit),
              plain(num(p, "baselineCpu").doubleValue(), unit),
              num(p, "cpuRatio").doubleValue(),
              target));
    }
    t.append(
        """
          baselines: HashMap<(host, service), Event>.get; a loop over an ArrayList of the same
          events applying Query.matches (index queries also sort their results by host and
          service; "loop + sort" sorts the same way)
        """);
    return t.toString();
  }

  private static String metOrNot(boolean met) {
    return met ? "met" : "NOT met";
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  private static ChainedOptionsBuilder rulesOptions(Options o) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(RulesBenchmark.class.getName() + ".")
            .param("sut", o.suts().toArray(String[]::new))
            .param("hosts", o.hosts().toArray(String[]::new))
            .param("generatedRules", Integer.toString(o.generatedRules()))
            .param("prerollEvents", Long.toString(o.prerollEvents()));
    if (o.quick()) {
      b.warmupTime(TimeValue.seconds(3)).measurementTime(TimeValue.seconds(3));
    }
    return common(b, o);
  }

  private static List<Map<String, Object>> rulesRows(Collection<RunResult> results, Options o) {
    Map<String, Map<String, RunResult>> byHosts = new LinkedHashMap<>();
    for (RunResult r : results) {
      byHosts
          .computeIfAbsent(r.getParams().getParam("hosts"), h -> new LinkedHashMap<>())
          .put(r.getParams().getParam("sut"), r);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, RunResult>> h : byHosts.entrySet()) {
      RunResult base = h.getValue().get(BASELINE_SUT);
      for (Map.Entry<String, RunResult> s : h.getValue().entrySet()) {
        Result<?> primary = s.getValue().getPrimaryResult();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", Integer.parseInt(h.getKey()));
        m.put("sut", s.getKey());
        m.put("generatedRules", o.generatedRules());
        m.put("eventsPerSecond", primary.getScore());
        m.put("error", finite(primary.getScoreError()));
        m.put("eventsPerCpuSecond", 1e9 / cpuNanosPerOp(s.getValue()));
        if (base != null && !s.getKey().equals(BASELINE_SUT)) {
          m.put("ratioToBaseline", primary.getScore() / base.getPrimaryResult().getScore());
          m.put("cpuRatioToBaseline", cpuNanosPerOp(base) / cpuNanosPerOp(s.getValue()));
        }
        rows.add(m);
      }
    }
    return rows;
  }

  static String rulesText(List<Map<String, Object>> rows, Options o) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%nRules, config/rules + %d generated rules, one thread (events/s = per core), wall"
                + " clock (JMH's score,%n± its 99.9%% interval) and per CPU second (the JVM's, GC"
                + " included);%nratio = ours / baseline (%s: match and condition queries only):%n",
            o.generatedRules(),
            BASELINE_SUT));
    t.append(
        String.format(
            Locale.ROOT,
            "  %7s  %-12s %26s %7s  %14s %7s  %s%n",
            "hosts",
            "sut",
            "events/s",
            "ratio",
            "per CPU-s",
            "ratio",
            "target >= 1,000,000/s (wall; CPU)"));
    for (Map<String, Object> r : rows) {
      double score = num(r, "eventsPerSecond").doubleValue();
      double cpu = num(r, "eventsPerCpuSecond").doubleValue();
      Object ratio = r.get("ratioToBaseline");
      Object cpuRatio = r.get("cpuRatioToBaseline");
      t.append(
          String.format(
              Locale.ROOT,
              "  %,7d  %-12s %26s %7s  %,14.0f %7s  %s%n",
              num(r, "hosts").intValue(),
              r.get("sut"),
              String.format(Locale.ROOT, "%,.0f ± %,.0f", score, num(r, "error").doubleValue()),
              ratio == null ? "" : String.format(Locale.ROOT, "%.3f", (Double) ratio),
              cpu,
              cpuRatio == null ? "" : String.format(Locale.ROOT, "%.3f", (Double) cpuRatio),
              r.get("sut").equals(BASELINE_SUT)
                  ? ""
                  : metOrNot(score >= RULES_TARGET_EVENTS_PER_S)
                      + "; "
                      + metOrNot(cpu >= RULES_TARGET_EVENTS_PER_S)));
    }
    return t.toString();
  }

  private static void profile(Options o) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xms6g", "-Xmx6g", "-cp"));
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RulesProfile.class.getName());
    cmd.addAll(List.of("--sut", o.suts().get(0), "--hosts", o.hosts().get(0)));
    cmd.addAll(List.of("--generated-rules", Integer.toString(o.generatedRules())));
    cmd.addAll(List.of("--preroll-events", Long.toString(o.prerollEvents())));
    System.out.printf(
        Locale.ROOT, "%n# Profile of %s at %s hosts...%n", o.suts().get(0), o.hosts().get(0));
    int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the profile failed (exit code " + exit + ")");
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The first three fields of /proc/loadavg, or "unknown". */
  private static String loadAverage() {
    try {
      List<String> f = Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
      return String.join(" ", f.subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static Number num(Map<String, Object> m, String key) {
    return (Number) m.get(key);
  }

  private static double finite(double error) {
    return Double.isFinite(error) ? error : 0;
  }

  private static double toNanos(double score, String unit) {
    return switch (unit) {
      case "ns/op" -> score;
      case "us/op" -> score * 1e3;
      case "ms/op" -> score * 1e6;
      case "s/op" -> score * 1e9;
      default -> throw new IllegalArgumentException("unexpected unit " + unit);
    };
  }

  private static double fromNanos(double nanos, String unit) {
    return nanos / toNanos(1, unit);
  }

  private static String plain(double score, String unit) {
    String u = unit.replace("/op", "");
    return score >= 100
        ? String.format(Locale.ROOT, "%,.0f %s", score, u)
        : String.format(Locale.ROOT, "%.2f %s", score, u);
  }

  private static String withError(double score, double error, String unit) {
    String u = unit.replace("/op", "");
    return score >= 100
        ? String.format(Locale.ROOT, "%,.0f ± %,.0f %s", score, error, u)
        : String.format(Locale.ROOT, "%.2f ± %.2f %s", score, error, u);
  }
}
