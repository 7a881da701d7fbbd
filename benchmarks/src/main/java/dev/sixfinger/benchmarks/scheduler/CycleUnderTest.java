package dev.sixfinger.benchmarks.scheduler;

import java.util.Map;

/**
 * One scheduler under test over a {@link SchedulerWorkload}: {@link #prepare} (untimed) makes the
 * state one cycle starts from, {@link #cycle} (timed) runs one ranking-and-matching cycle from it
 * and answers where each placed pending job went.
 */
public interface CycleUnderTest extends AutoCloseable {
  /** Ours ({@link OurCycle}) or Netflix Fenzo's ({@link FenzoCycle}). */
  static CycleUnderTest create(String name, SchedulerWorkload workload) {
    return switch (name) {
      case "ours" -> new OurCycle(workload);
      case "fenzo" -> new FenzoCycle(workload);
      default -> throw new IllegalArgumentException("scheduler must be ours or fenzo: " + name);
    };
  }

  /** Makes the state the next {@link #cycle} starts from (untimed). */
  void prepare();

  /** One cycle; answers job uuid to host for every pending job placed. */
  Map<String, String> cycle();

  @Override
  void close();
}
