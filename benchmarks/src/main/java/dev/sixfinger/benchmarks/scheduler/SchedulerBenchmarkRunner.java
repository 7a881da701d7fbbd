package dev.sixfinger.benchmarks.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SchedulerBenchmark}: ours beside Netflix Fenzo on the same workload in one JMH run,
 * then ours alone over the scaling sizes; then one more cycle of each outside JMH for the
 * utilization it leaves; prints a summary with the ratio and the targets (issue 7) and writes it as
 * JSON. See {@link #USAGE}.
 */
public final class SchedulerBenchmarkRunner {
  static final double TARGET_RATIO = 10;
  static final double TARGET_BIG_MS = 1000;
  static final String BIG = "100000x10000";

  static final String USAGE =
      """
      Usage: run-scheduler-benchmark.sh [options]   (or java ... %s [options])

      One scheduling cycle (ranking and matching) of our scheduler beside Netflix Fenzo's
      TaskScheduler.scheduleOnce with its cpuMemBinPacker, same jobs, same hosts, in one JMH run;
      then our cycle alone at the scaling sizes; then the utilization after one cycle of each.

        --compare SIZE         the size both run at (JOBSxHOSTS), default 10000x1000
        --sizes LIST           our scaling sizes, default
                               1000x100,10000x1000,100000x10000,100000x1000,10000x10000
        --skip-fenzo           ours only
        --skip-scaling         the comparison only
        --warmup-iterations N  default 5 (of at least 1 s; a Fenzo cycle takes longer)
        --iterations N         measured iterations, default 8
        --json PATH            default benchmarks/target/scheduler-benchmark.json
        --help                 this text
      """
          .formatted(SchedulerBenchmarkRunner.class.getName());

  record Options(
      String compare,
      List<String> sizes,
      boolean fenzo,
      boolean scaling,
      int warmupIterations,
      int iterations,
      Path json) {}

  private SchedulerBenchmarkRunner() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.print(USAGE);
      return;
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("date", OffsetDateTime.now().toString());
    summary.put("cores", Runtime.getRuntime().availableProcessors());
    summary.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    summary.put("loadAverageBefore", loadAverage());

    List<Map<String, Object>> compare = new ArrayList<>();
    if (o.fenzo()) {
      for (RunResult r : run(o, o.compare(), List.of("ours", "fenzo"))) {
        compare.add(row(r));
      }
    }
    List<Map<String, Object>> scaling = new ArrayList<>();
    if (o.scaling()) {
      for (RunResult r : run(o, String.join(",", o.sizes()), List.of("ours"))) {
        scaling.add(row(r));
      }
    }
    summary.put("loadAverageAfterJmh", loadAverage());

    // Utilization: one more cycle of each, outside JMH (ours is deterministic; Fenzo's ties between
    // equally fit hosts depend on its threads, which moves its figures very little).
    for (Map<String, Object> m : compare) {
      utilization(m);
    }
    if (o.fenzo()) {
      // Fenzo given the jobs in submission order instead: utilization only, not timed.
      Map<String, Object> fifo = new LinkedHashMap<>();
      fifo.put("sut", "fenzo-fifo");
      fifo.put("size", o.compare());
      utilization(fifo);
      summary.put("fenzoSubmissionOrder", fifo);
      compare.add(fifo);
    }
    for (Map<String, Object> m : scaling) {
      utilization(m);
    }
    summary.put("comparison", compare);
    summary.put("scaling", scaling);
    String text = text(compare, scaling, o);
    summary.put("loadAverageAfter", loadAverage());
    System.out.println(text);
    System.out.printf(
        "load average before %s, after %s%n",
        summary.get("loadAverageBefore"), summary.get("loadAverageAfter"));
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(o.json().toFile(), summary);
    System.out.println("written to " + o.json());
  }

  private static Collection<RunResult> run(Options o, String sizes, List<String> suts)
      throws Exception {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(SchedulerBenchmark.class.getName() + ".")
            .param("sut", suts.toArray(new String[0]))
            .param("size", sizes.split(",", -1))
            .forks(1)
            .warmupIterations(o.warmupIterations())
            .measurementIterations(o.iterations())
            .shouldFailOnError(true);
    return new Runner(b.build()).run();
  }

  private static Map<String, Object> row(RunResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sut", r.getParams().getParam("sut"));
    m.put("size", r.getParams().getParam("size"));
    m.put("msPerCycle", r.getPrimaryResult().getScore());
    m.put("msPerCycleError", finite(r.getPrimaryResult().getScoreError()));
    m.put("cpuMsPerCycle", cpuNanosPerOp(r) / 1e6);
    m.put("cycles", (long) secondary(r, "ops"));
    return m;
  }

  private static void utilization(Map<String, Object> m) {
    SchedulerWorkload w = SchedulerWorkload.ofSize((String) m.get("size"));
    try (CycleUnderTest c = CycleUnderTest.create((String) m.get("sut"), w)) {
      c.prepare();
      Utilization u = Utilization.of(w, c.cycle());
      m.put("cpuUsedBefore", u.cpuBefore());
      m.put("memUsedBefore", u.memBefore());
      m.put("cpuUsedAfter", u.cpu());
      m.put("memUsedAfter", u.mem());
      m.put("jobsPlaced", u.placed());
      m.put("jobsPending", u.pending());
    }
  }

  static String text(
      List<Map<String, Object>> compare, List<Map<String, Object>> scaling, Options o) {
    StringBuilder t = new StringBuilder();
    if (!compare.isEmpty()) {
      Map<String, Object> ours = find(compare, "ours");
      Map<String, Object> fenzo = find(compare, "fenzo");
      SchedulerWorkload w = SchedulerWorkload.ofSize(o.compare());
      t.append(
          String.format(
              Locale.ROOT,
              "%nOne cycle, %s; ms per cycle, wall clock (JMH's score ± its 99.9%% interval)"
                  + " and CPU (the JVM's, all threads, GC included);%nutilization after the"
                  + " cycle (cpus and memory allocated of the cluster's, before -> after).%n%n",
              w.describe()));
      t.append(
          String.format(
              Locale.ROOT,
              "%-11s %17s %10s %16s %16s %16s%n",
              "",
              "wall ms/cycle",
              "CPU ms",
              "cpus used",
              "mem used",
              "jobs placed"));
      for (Map<String, Object> m : compare) {
        t.append(line(m));
      }
      if (ours != null && fenzo != null) {
        double wall = num(fenzo, "msPerCycle") / num(ours, "msPerCycle");
        double cpu = num(fenzo, "cpuMsPerCycle") / num(ours, "cpuMsPerCycle");
        boolean equalOrBetter =
            num(ours, "jobsPlaced") >= num(fenzo, "jobsPlaced")
                && num(ours, "cpuUsedAfter") >= num(fenzo, "cpuUsedAfter")
                && num(ours, "memUsedAfter") >= num(fenzo, "memUsedAfter");
        t.append(
            String.format(
                Locale.ROOT,
                "%nFenzo / ours: %.1fx (wall), %.1fx (CPU); target >= %.0fx: %s (wall), %s (CPU)%n"
                    + "utilization equal or better (jobs placed, cpus and mem all >= Fenzo's):"
                    + " %s%n",
                wall,
                cpu,
                TARGET_RATIO,
                met(wall >= TARGET_RATIO),
                met(cpu >= TARGET_RATIO),
                equalOrBetter ? "yes" : "no"));
      }
    }
    if (!scaling.isEmpty()) {
      t.append(String.format(Locale.ROOT, "%nOur cycle by size (jobs x hosts):%n%n"));
      t.append(
          String.format(
              Locale.ROOT,
              "%-13s %17s %10s %16s %16s %16s%n",
              "size",
              "wall ms/cycle",
              "CPU ms",
              "cpus used",
              "mem used",
              "jobs placed"));
      Map<String, Object> big = null;
      for (Map<String, Object> m : scaling) {
        t.append(String.format(Locale.ROOT, "%-13s", m.get("size"))).append(line(m).substring(11));
        if (BIG.equals(m.get("size"))) {
          big = m;
        }
      }
      if (big != null) {
        t.append(
            String.format(
                Locale.ROOT,
                "%n%s cycle < %.0f ms: %s (wall), %s (CPU)%n",
                BIG,
                TARGET_BIG_MS,
                met(num(big, "msPerCycle") < TARGET_BIG_MS),
                met(num(big, "cpuMsPerCycle") < TARGET_BIG_MS)));
      }
    }
    return t.toString();
  }

  private static String line(Map<String, Object> m) {
    if (!m.containsKey("msPerCycle")) {
      return String.format(
          Locale.ROOT,
          "%-11s %17s %10s %7.1f -> %5.1f%% %7.1f -> %5.1f%% %,8d of %,d%n",
          m.get("sut"),
          "(not timed)",
          "",
          100 * num(m, "cpuUsedBefore"),
          100 * num(m, "cpuUsedAfter"),
          100 * num(m, "memUsedBefore"),
          100 * num(m, "memUsedAfter"),
          (long) num(m, "jobsPlaced"),
          (long) num(m, "jobsPending"));
    }
    return String.format(
        Locale.ROOT,
        "%-11s %7.1f ± %7.1f %10.1f %7.1f -> %5.1f%% %7.1f -> %5.1f%% %,8d of %,d%n",
        m.get("sut"),
        num(m, "msPerCycle"),
        num(m, "msPerCycleError"),
        num(m, "cpuMsPerCycle"),
        100 * num(m, "cpuUsedBefore"),
        100 * num(m, "cpuUsedAfter"),
        100 * num(m, "memUsedBefore"),
        100 * num(m, "memUsedAfter"),
        (long) num(m, "jobsPlaced"),
        (long) num(m, "jobsPending"));
  }

  private static Map<String, Object> find(List<Map<String, Object>> rows, String sut) {
    for (Map<String, Object> m : rows) {
      if (sut.equals(m.get("sut"))) {
        return m;
      }
    }
    return null;
  }

  static Options parse(String[] args) {
    String compare = "10000x1000";
    List<String> sizes = List.of("1000x100", "10000x1000", BIG, "100000x1000", "10000x10000");
    boolean fenzo = true;
    boolean scaling = true;
    int warmup = 5;
    int iterations = 8;
    Path json = Path.of("benchmarks/target/scheduler-benchmark.json");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--compare" -> compare = value(args, ++i, a);
        case "--sizes" -> sizes = Arrays.asList(value(args, ++i, a).split(",", -1));
        case "--skip-fenzo" -> fenzo = false;
        case "--skip-scaling" -> scaling = false;
        case "--warmup-iterations" -> warmup = Integer.parseInt(value(args, ++i, a));
        case "--iterations" -> iterations = Integer.parseInt(value(args, ++i, a));
        case "--json" -> json = Path.of(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new Options(compare, sizes, fenzo, scaling, warmup, iterations, json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static double cpuNanosPerOp(RunResult r) {
    double ops = secondary(r, "ops");
    return ops == 0 ? Double.NaN : secondary(r, "cpuNanos") / ops;
  }

  private static double secondary(RunResult r, String name) {
    Result<?> x = r.getSecondaryResults().get(name);
    return x == null ? Double.NaN : x.getScore();
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static double finite(double error) {
    return Double.isFinite(error) ? error : 0;
  }

  private static String loadAverage() {
    try {
      List<String> f = Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
      return String.join(" ", f.subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
