package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.benchmarks.jmh.CpuCounters;
import dev.sixfinger.benchmarks.jmh.ProcessCpu;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.config.RuleSet;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rules throughput on one thread, so events/s is events/s per core: the shipped rule set plus
 * {@code generatedRules} more ({@link RuleWorkload}), fed {@link AgentFeed}'s agent events from
 * {@code hosts} hosts, through the system under test named by {@code sut} ({@link
 * RulesUnderTest#create}): {@code streams}, the rules compiled to streams, and {@code query-loop},
 * the baseline that only evaluates each rule's match and condition.
 *
 * <p>Each invocation feeds the next {@value #BATCH} events of the stream; they are made (and
 * protobuf round-tripped) before it, outside the measured time. The state of the system under test
 * carries on from invocation to invocation and from warm-up to measurement, as a running engine's
 * does, and simulated time moves on with the events (10 s per tick of all hosts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class RulesBenchmark {
  /** Events per invocation. */
  public static final int BATCH = 50_000;

  @Param({"streams", "query-loop"})
  public String sut;

  @Param({"1000", "10000"})
  public int hosts;

  @Param("100")
  public int generatedRules;

  /**
   * Events fed before the first warm-up iteration, untimed, so that measuring starts nearer a
   * steady state. At 1,000 hosts the default is 36 ticks (6 simulated minutes): every fork exists,
   * the 5-minute windows are full, rules have fired and resolved. At 10,000 hosts it is only 3.6
   * ticks: every fork exists, but the windows are not full yet.
   */
  @Param("2500000")
  public long prerollEvents;

  /** Relative to the working directory: run from the repository root. */
  @Param("config/rules")
  public String rulesDir;

  private RulesUnderTest rules;
  private AgentFeed feed;
  private final Event[] batch = new Event[BATCH];

  @Setup(Level.Trial)
  public void setUp() {
    RuleSet set = RuleWorkload.ruleSet(Path.of(rulesDir), generatedRules);
    rules = RulesUnderTest.create(sut, set, AgentFeed.startMicros());
    feed = new AgentFeed(hosts, RuleWorkload.generatedServices(generatedRules), 42);
    long perTick = (long) hosts * feed.servicesPerHost();
    System.out.printf(
        Locale.ROOT,
        "%n%s: %d rules, %,d hosts x %d services = %,d events per 10 s tick%n",
        sut,
        set.rules().size(),
        hosts,
        feed.servicesPerHost(),
        perTick);
    long start = System.nanoTime();
    for (long i = 0; i < prerollEvents; i++) {
      rules.accept(feed.next());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "pre-roll: %,d events (%.1f ticks) in %.1f s (%,.0f events/s, cold, event making"
            + " included)%n%s%n",
        prerollEvents,
        (double) prerollEvents / perTick,
        seconds,
        prerollEvents / seconds,
        rules.summary());
  }

  @Setup(Level.Invocation)
  public void nextBatch() {
    feed.fill(batch);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void events(CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    RulesUnderTest r = rules;
    for (Event event : batch) {
      r.accept(event);
    }
    cpu.add(start, BATCH);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf(
        Locale.ROOT,
        "%n%s after %,d events (%,d ticks, %.1f simulated minutes)%n",
        rules.summary(),
        feed.produced(),
        feed.ticks(),
        feed.ticks() * AgentFeed.TICK_MICROS / 60e6);
  }
}
