package dev.sixfinger.benchmarks.scheduler;

import java.util.Map;

/**
 * One scheduler under test over a {@link SchedulerWorkload}: {@link #prepare} (untimed) makes the
 * state one cycle starts from, {@link #cycle} (timed) runs one ranking-and-matching cycle from it
 * and answers where each placed pending job went.
 */
public interface CycleUnderTest extends AutoCloseable {
  /**
   * Ours ({@link OurCycle}) or Netflix Fenzo's ({@link FenzoCycle}): {@code fenzo} is given the
   * pending jobs in our ranking's order (so both place the same jobs in the same order and only the
   * placement differs), {@code fenzo-fifo} in submission order.
   */
  static CycleUnderTest create(String name, SchedulerWorkload workload) {
    return switch (name) {
      case "ours" -> new OurCycle(workload);
      case "fenzo" -> new FenzoCycle(workload, true);
      case "fenzo-fifo" -> new FenzoCycle(workload, false);
      default ->
          throw new IllegalArgumentException(
              "scheduler must be ours, fenzo or fenzo-fifo: " + name);
    };
  }

  /** Makes the state the next {@link #cycle} starts from (untimed). */
  void prepare();

  /** One cycle; answers job uuid to host for every pending job placed. */
  Map<String, String> cycle();

  @Override
  void close();
}
