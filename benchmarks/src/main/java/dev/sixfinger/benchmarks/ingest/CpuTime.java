package dev.sixfinger.benchmarks.ingest;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time used, to report CPU per event next to events per second: on a small shared machine the
 * rate moves with whatever else runs, the CPU cost per event much less.
 */
public final class CpuTime {
  private CpuTime() {}

  /** CPU time of this JVM (gateway, broker and load clients alike), in nanoseconds. */
  public static long thisProcess() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of a running child process, in nanoseconds, or -1 if the OS does not say. */
  static long of(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** The one-minute load average of the machine, or -1 if unknown. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
