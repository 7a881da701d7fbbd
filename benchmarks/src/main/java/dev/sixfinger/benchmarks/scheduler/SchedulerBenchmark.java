package dev.sixfinger.benchmarks.scheduler;

import dev.sixfinger.benchmarks.jmh.CpuCounters;
import dev.sixfinger.benchmarks.jmh.ProcessCpu;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scheduling cycle (ranking and matching) of {@code size} ({@code JOBSxHOSTS}, {@link
 * SchedulerWorkload#ofSize}) by the scheduler named by {@code sut} ({@link CycleUnderTest#create}):
 * {@code ours} or {@code fenzo}. Every operation is one full cycle from the same starting state,
 * prepared untimed before it ({@link CycleUnderTest#prepare}). Time per cycle, wall clock, plus the
 * JVM's CPU time ({@link CpuCounters}; Fenzo evaluates hosts on a pool of one thread per core, ours
 * runs on the caller's thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class SchedulerBenchmark {
  @Param({"ours", "fenzo"})
  public String sut;

  @Param("10000x1000")
  public String size;

  private SchedulerWorkload workload;
  private CycleUnderTest cycle;

  @Setup(Level.Trial)
  public void setUp() {
    workload = SchedulerWorkload.ofSize(size);
    cycle = CycleUnderTest.create(sut, workload);
    System.out.printf("%n%s: %s%n", sut, workload.describe());
  }

  @Setup(Level.Invocation)
  public void prepare() {
    cycle.prepare();
  }

  @Benchmark
  public Map<String, String> cycle(CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    Map<String, String> placed = cycle.cycle();
    cpu.add(start, 1);
    return placed;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cycle.close();
  }
}
