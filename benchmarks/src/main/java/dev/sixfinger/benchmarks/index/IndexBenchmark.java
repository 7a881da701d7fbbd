package dev.sixfinger.benchmarks.index;

import dev.sixfinger.benchmarks.index.IndexFixture.HostService;
import dev.sixfinger.benchmarks.jmh.CpuCounters;
import dev.sixfinger.benchmarks.jmh.ProcessCpu;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.rules.index.Index;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The index over {@code hosts × services} entries (1,000,000 by default) against plain collections
 * of the same events, each pair in the same run:
 *
 * <ul>
 *   <li>{@code lookup}: {@link Index#lookup} of a random (host, service) against {@code
 *       HashMap<HostService, Event>.get} (target: under 1 µs);
 *   <li>{@code prefixQuery}: {@code service =~ "swap%"} (the service prefix index, 3 of 50
 *       services, 60,000 results at 1M) against a loop over an {@code ArrayList} of the events
 *       applying {@link Query#matches} (target: under 100 ms);
 *   <li>{@code scanMetric}, {@code scanDescription}: full scans ({@code metric > 0.9}: 10% of the
 *       entries; {@code description =~ "%timeout%"}: 1 in 5,000) against the same loop.
 * </ul>
 *
 * Index queries sort their results (by host, then service); the baseline loop does not, except in
 * {@code scanMetricBaselineLoopSorted}, which sorts like the index, to show what the sort costs.
 * The baseline list holds the events in the order they were made (by host), which is also their
 * order in memory, so its loop reads memory more sequentially than the index's hash tables do.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class IndexBenchmark {

  /** Lookups of random keys that all exist, in a fixed pseudo-random order. */
  abstract static class Probes {
    private static final int PROBES = 1 << 16;
    String[] probeHosts;
    String[] probeServices;
    int next;

    void probes(IndexFixture fixture) {
      SplittableRandom random = new SplittableRandom(7);
      probeHosts = new String[PROBES];
      probeServices = new String[PROBES];
      for (int i = 0; i < PROBES; i++) {
        probeHosts[i] = fixture.host(random.nextInt(fixture.hostCount()));
        probeServices[i] = fixture.service(random.nextInt(fixture.serviceCount()));
      }
    }

    int nextProbe() {
      int i = next;
      next = (i + 1) & (PROBES - 1);
      return i;
    }
  }

  /** The system under test: an {@link Index} of every event. */
  @State(Scope.Benchmark)
  public static class IndexState extends Probes {
    @Param("20000")
    public int hosts;

    @Param("50")
    public int services;

    Index index;

    @Setup(Level.Trial)
    public void setUp() {
      IndexFixture fixture = IndexFixture.build(hosts, services);
      index = fixture.newIndex();
      probes(fixture);
      check(index.size() == fixture.size(), "index holds " + index.size());
      check(
          Index.access(IndexFixture.PREFIX_QUERY) == Index.Access.SERVICE_PREFIX,
          "the prefix query is answered by " + Index.access(IndexFixture.PREFIX_QUERY));
      System.out.printf(
          "%nindex: %,d entries; prefix query %s -> %s, %,d results%n",
          index.size(),
          IndexFixture.PREFIX_QUERY,
          Index.access(IndexFixture.PREFIX_QUERY),
          index.query(IndexFixture.PREFIX_QUERY).size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      index.close();
    }
  }

  /** The lookup baseline: a plain HashMap keyed by a (host, service) record. */
  @State(Scope.Benchmark)
  public static class HashMapState extends Probes {
    @Param("20000")
    public int hosts;

    @Param("50")
    public int services;

    Map<HostService, Event> map;

    @Setup(Level.Trial)
    public void setUp() {
      IndexFixture fixture = IndexFixture.build(hosts, services);
      map = fixture.newHashMap();
      probes(fixture);
      check(map.size() == fixture.size(), "map holds " + map.size());
    }
  }

  /** The query baseline: the same events in an ArrayList. */
  @State(Scope.Benchmark)
  public static class ListState {
    @Param("20000")
    public int hosts;

    @Param("50")
    public int services;

    List<Event> list;

    @Setup(Level.Trial)
    public void setUp() {
      list = new ArrayList<>(IndexFixture.build(hosts, services).events());
    }
  }

  /** Lookups per invocation, so that reading the CPU time costs little per lookup. */
  static final int LOOKUPS = 1000;

  @Benchmark
  @OperationsPerInvocation(LOOKUPS)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookup(IndexState s, CpuCounters cpu, Blackhole bh) {
    long start = ProcessCpu.nanos();
    for (int n = 0; n < LOOKUPS; n++) {
      int i = s.nextProbe();
      bh.consume(s.index.lookup(s.probeHosts[i], s.probeServices[i]));
    }
    cpu.add(start, LOOKUPS);
  }

  @Benchmark
  @OperationsPerInvocation(LOOKUPS)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void lookupBaselineHashMap(HashMapState s, CpuCounters cpu, Blackhole bh) {
    long start = ProcessCpu.nanos();
    for (int n = 0; n < LOOKUPS; n++) {
      int i = s.nextProbe();
      bh.consume(s.map.get(new HostService(s.probeHosts[i], s.probeServices[i])));
    }
    cpu.add(start, LOOKUPS);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> prefixQuery(IndexState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = s.index.query(IndexFixture.PREFIX_QUERY);
    cpu.add(start, 1);
    return result;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> prefixQueryBaselineLoop(ListState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = loop(s.list, IndexFixture.PREFIX_QUERY);
    cpu.add(start, 1);
    return result;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> scanMetric(IndexState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = s.index.query(IndexFixture.SCAN_METRIC_QUERY);
    cpu.add(start, 1);
    return result;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> scanMetricBaselineLoop(ListState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = loop(s.list, IndexFixture.SCAN_METRIC_QUERY);
    cpu.add(start, 1);
    return result;
  }

  /** The same loop, then the index's sort: how much of {@link #scanMetric} is sorting. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> scanMetricBaselineLoopSorted(ListState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = loop(s.list, IndexFixture.SCAN_METRIC_QUERY);
    result.sort(Index.ORDER);
    cpu.add(start, 1);
    return result;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> scanDescription(IndexState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = s.index.query(IndexFixture.SCAN_DESCRIPTION_QUERY);
    cpu.add(start, 1);
    return result;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Event> scanDescriptionBaselineLoop(ListState s, CpuCounters cpu) {
    long start = ProcessCpu.nanos();
    List<Event> result = loop(s.list, IndexFixture.SCAN_DESCRIPTION_QUERY);
    cpu.add(start, 1);
    return result;
  }

  /** The baseline of every query: each event, {@link Query#matches}, into a list. */
  static List<Event> loop(List<Event> events, Query query) {
    List<Event> out = new ArrayList<>();
    for (Event event : events) {
      if (query.matches(event)) {
        out.add(event);
      }
    }
    return out;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark setup is wrong: " + what);
    }
  }
}
