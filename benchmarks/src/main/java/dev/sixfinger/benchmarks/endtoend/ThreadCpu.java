package dev.sixfinger.benchmarks.endtoend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time per thread, grouped by what the thread does (they all share one JVM), so that a run
 * shows which part used the cores: in particular whether the engine's single thread is saturated.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One sample: thread id to its name and CPU nanoseconds. */
  record Sample(Map<Long, String> names, Map<Long, Long> cpuNanos) {}

  private ThreadCpu() {}

  static Sample sample() {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> cpu = new HashMap<>();
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = THREADS.getThreadCpuTime(ids[i]);
      if (infos[i] != null && t >= 0) {
        names.put(ids[i], infos[i].getThreadName());
        cpu.put(ids[i], t);
      }
    }
    return new Sample(names, cpu);
  }

  /** What each group of threads used between the samples, in cores (CPU seconds per second). */
  static Map<String, Double> coresByGroup(Sample before, Sample after, double seconds) {
    Map<String, Long> nanos = new TreeMap<>();
    after
        .cpuNanos()
        .forEach(
            (id, t) -> {
              long used = t - before.cpuNanos().getOrDefault(id, 0L);
              nanos.merge(group(after.names().get(id)), used, Long::sum);
            });
    Map<String, Double> cores = new LinkedHashMap<>();
    nanos.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e -> cores.put(e.getKey(), Math.round(100 * e.getValue() / 1e9 / seconds) / 100.0));
    return cores;
  }

  /** The group of a thread, by its name. */
  static String group(String name) {
    if (name.equals("rules-engine")) {
      return "engine thread";
    }
    if (name.contains("sixfinger-rules")) {
      return "engine Kafka clients";
    }
    if (name.contains("sixfinger-ingest")) {
      return "gateway Kafka producer";
    }
    if (name.startsWith("multiThreadIoEventLoopGroup")) {
      return "gateway Netty";
    }
    if (name.startsWith("paced-") || name.equals("e2e-probe")) {
      return "load and probe clients";
    }
    if (name.startsWith("e2e-watch") || name.contains("e2e-watch")) {
      return "measuring consumers";
    }
    if (name.startsWith("e2e-") || name.equals("main")) {
      return "harness";
    }
    return "broker and other";
  }
}
