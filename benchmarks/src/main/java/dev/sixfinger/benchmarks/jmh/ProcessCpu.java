package dev.sixfinger.benchmarks.jmh;

import java.lang.management.ManagementFactory;

/**
 * The CPU time of this JVM, all threads together. On Linux it advances in steps of 10 ms (clock
 * ticks), so a single short interval reads 0 or 10 ms; summed over many intervals, as {@link
 * CpuCounters} does, the error averages out.
 */
public final class ProcessCpu {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ProcessCpu() {}

  /** The process's CPU time now, in nanoseconds. */
  public static long nanos() {
    return OS.getProcessCpuTime();
  }
}
