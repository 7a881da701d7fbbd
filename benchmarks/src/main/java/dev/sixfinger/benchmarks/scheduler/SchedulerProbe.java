package dev.sixfinger.benchmarks.scheduler;

import java.util.Locale;
import java.util.Map;

/**
 * Runs a few cycles of each scheduler without JMH and prints their time and utilization: a quick
 * look, e.g. {@code SchedulerProbe 10000x1000 fenzo,ours 3}.
 */
public final class SchedulerProbe {
  private SchedulerProbe() {}

  public static void main(String[] args) {
    String size = args.length > 0 ? args[0] : "10000x1000";
    String[] suts = (args.length > 1 ? args[1] : "ours,fenzo").split(",", -1);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SchedulerWorkload w = SchedulerWorkload.ofSize(size);
    System.out.println(w.describe());
    for (String sut : suts) {
      try (CycleUnderTest c = CycleUnderTest.create(sut, w)) {
        for (int i = 0; i < rounds; i++) {
          c.prepare();
          long t = System.nanoTime();
          long cpu = dev.sixfinger.benchmarks.jmh.ProcessCpu.nanos();
          Map<String, String> placed = c.cycle();
          System.out.printf(
              Locale.ROOT,
              "%-6s %8.1f ms wall %8.1f ms cpu  %s%n",
              sut,
              (System.nanoTime() - t) / 1e6,
              (dev.sixfinger.benchmarks.jmh.ProcessCpu.nanos() - cpu) / 1e6,
              Utilization.of(w, placed));
        }
      }
    }
  }
}
