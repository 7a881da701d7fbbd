package dev.sixfinger.benchmarks.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: Kafka's own kafka-producer-perf-test ({@code ProducerPerformance}) in a child JVM
 * with this JVM's classpath, writing records of the same size to the same topic of the same broker
 * with the same producer settings as the gateway.
 */
final class ProducerPerfBaseline {

  /**
   * The figures of ProducerPerformance's summary line and the line itself; and the CPU time its JVM
   * and this one (the broker) used from its first output line to its summary, that is for the
   * warm-up and the measured records together (-1 if unknown).
   */
  record Result(
      long records,
      double recordsPerSecond,
      double mbPerSecond,
      double avgLatencyMs,
      double maxLatencyMs,
      long p50Ms,
      long p95Ms,
      long p99Ms,
      long p999Ms,
      String rawLine,
      long producerCpuNanos,
      long brokerCpuNanos) {

    Result withCpu(long producer, long broker) {
      return new Result(
          records,
          recordsPerSecond,
          mbPerSecond,
          avgLatencyMs,
          maxLatencyMs,
          p50Ms,
          p95Ms,
          p99Ms,
          p999Ms,
          rawLine,
          producer,
          broker);
    }
  }

  /**
   * "2000000 steady state records sent, 312000.5 records/sec (46.2 MB/sec), 5.1 ms avg latency,
   * 210.0 ms max latency, 4 ms 50th, 12 ms 95th, 21 ms 99th, 60 ms 99.9th." (without "steady state"
   * when there is no warm-up).
   */
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+)( steady state)? records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\),"
              + " ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms"
              + " 95th, (\\d+) ms 99th, (\\d+) ms 99.9th\\.");

  static final String MAIN_CLASS = "org.apache.kafka.tools.ProducerPerformance";

  private ProducerPerfBaseline() {}

  /**
   * The command line.
   *
   * @param payloadFile null for ProducerPerformance's own payload: {@code recordSize} random
   *     letters per record, which lz4 hardly compresses; or a file of text payloads, one per line
   */
  static List<String> command(
      String topic,
      long records,
      long warmupRecords,
      int recordSize,
      Path payloadFile,
      Map<String, Object> producerConfig) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Ample room for the 256 MiB producer buffer, so that GC does not hold the baseline back.
    cmd.add("-Xms1g");
    cmd.add("-Xmx2g");
    // The summary is printed with %f: keep the decimal point a point whatever the machine locale.
    cmd.add("-Duser.language=en");
    cmd.add("-Duser.country=US");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN_CLASS);
    cmd.addAll(List.of("--topic", topic));
    cmd.addAll(List.of("--num-records", Long.toString(records + warmupRecords)));
    if (warmupRecords > 0) {
      // Its own warm-up: the summary then has a "steady state" line for the records after it.
      cmd.addAll(List.of("--warmup-records", Long.toString(warmupRecords)));
    }
    if (payloadFile == null) {
      cmd.addAll(List.of("--record-size", Integer.toString(recordSize)));
    } else {
      cmd.addAll(List.of("--payload-file", payloadFile.toString()));
    }
    cmd.addAll(List.of("--throughput", "-1"));
    // --command-property is the current name of --producer-props (deprecated in Kafka 4).
    cmd.add("--command-property");
    new TreeMap<>(producerConfig).forEach((k, v) -> cmd.add(k + "=" + v));
    return cmd;
  }

  /** Runs the child JVM, echoing its progress lines, and parses its final summary. */
  static Result run(List<String> command, Duration timeout) throws InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0), e);
    }
    AtomicReference<Result> summary = new AtomicReference<>();
    List<String> tail = new ArrayList<>();
    ProcessHandle child = process.toHandle();
    // CPU counters at its first line, printed before it sends anything: JVM start-up is left out.
    long[] mark = {-1, -1};
    Thread echo =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  System.out.println("  [baseline] " + line);
                  synchronized (tail) {
                    tail.add(line);
                    if (tail.size() > 20) {
                      tail.remove(0);
                    }
                  }
                  if (mark[1] < 0) {
                    mark[0] = CpuTime.of(child);
                    mark[1] = CpuTime.thisProcess();
                  }
                  Result parsed = parse(line);
                  // With a warm-up the steady-state line comes last and is the one that counts.
                  if (parsed != null && (summary.get() == null || line.contains("steady state"))) {
                    long producer = CpuTime.of(child);
                    summary.set(
                        parsed.withCpu(
                            producer < 0 || mark[0] < 0 ? -1 : producer - mark[0],
                            CpuTime.thisProcess() - mark[1]));
                  }
                }
              } catch (IOException e) {
                // The child went away; its exit code tells the rest.
              }
            },
            "baseline-output");
    echo.setDaemon(true);
    echo.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "kafka-producer-perf-test did not finish within " + timeout.toSeconds() + " s");
      }
      echo.join(TimeUnit.SECONDS.toMillis(10));
    } finally {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0 || summary.get() == null) {
      String last;
      synchronized (tail) {
        last = String.join("\n", tail);
      }
      throw new IllegalStateException(
          "kafka-producer-perf-test exited with "
              + process.exitValue()
              + (summary.get() == null ? " without a summary line" : "")
              + "; its last output:\n"
              + last);
    }
    return summary.get();
  }

  static Result parse(String line) {
    Matcher m = SUMMARY.matcher(line);
    if (!m.find()) {
      return null;
    }
    return new Result(
        Long.parseLong(m.group(1)),
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        Double.parseDouble(m.group(5)),
        Double.parseDouble(m.group(6)),
        Long.parseLong(m.group(7)),
        Long.parseLong(m.group(8)),
        Long.parseLong(m.group(9)),
        Long.parseLong(m.group(10)),
        line.strip(),
        -1,
        -1);
  }
}
