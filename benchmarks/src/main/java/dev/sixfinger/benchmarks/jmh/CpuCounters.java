package dev.sixfinger.benchmarks.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU time of the benchmark JVM (all its threads: the benchmark's, and the garbage collector's,
 * which is part of the cost) spent in the measured code, and the operations it did, as JMH
 * secondary results {@code cpuNanos} and {@code ops}. On a machine busy with other work, wall-clock
 * time per operation grows with the load; CPU time per operation ({@code cpuNanos / ops}) much
 * less. A benchmark method reads {@link ProcessCpu#nanos()} before its work and calls {@link #add}
 * after it. (Public methods that return a value would become counters too: there are none.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {
  /** CPU nanoseconds of this iteration's measured work. */
  public long cpuNanos;

  /** Operations of this iteration. */
  public long ops;

  @Setup(Level.Iteration)
  public void reset() {
    cpuNanos = 0;
    ops = 0;
  }

  /** Adds the CPU time since {@code start} and {@code operations}. */
  public void add(long start, long operations) {
    cpuNanos += ProcessCpu.nanos() - start;
    ops += operations;
  }
}
