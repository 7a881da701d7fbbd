package dev.sixfinger.scheduler.simulator;

/**
 * The simulated cluster, workload and host-failure scenario. Times are micros from the start.
 *
 * @param badHostFraction the fraction of hosts that go bad at {@code badAtMicros} (a health drain
 *     decision) and recover at {@code recoverAtMicros}
 * @param cycleMicros how often the scheduler runs a cycle
 */
public record SimulationConfig(
    long seed,
    int hosts,
    int hostCpus,
    long hostMemMib,
    int heavyUsers,
    int heavyJobsPerUser,
    long heavySubmitWindowMicros,
    int lightUsers,
    int lightJobsPerUser,
    long lightSubmitWindowMicros,
    double badHostFraction,
    long badAtMicros,
    long recoverAtMicros,
    long cycleMicros,
    long horizonMicros) {

  /**
   * 200 hosts of 64 cpus and 512 GB; 3 heavy users with 800 jobs each in the first half hour, 40
   * light users with 10 each over 12 hours.
   */
  public static SimulationConfig defaults(long seed) {
    return new SimulationConfig(
        seed,
        200,
        64,
        512 * 1024,
        3,
        800,
        Trace.HOUR / 2,
        40,
        10,
        12 * Trace.HOUR,
        0.1,
        3 * Trace.HOUR,
        9 * Trace.HOUR,
        Trace.MINUTE,
        7 * 24 * Trace.HOUR);
  }

  /** The same scenario scaled down, for quick runs. */
  public SimulationConfig scaled(int hostCount, int heavyJobs, int lightJobs) {
    return new SimulationConfig(
        seed,
        hostCount,
        hostCpus,
        hostMemMib,
        heavyUsers,
        heavyJobs,
        heavySubmitWindowMicros,
        lightUsers,
        lightJobs,
        lightSubmitWindowMicros,
        badHostFraction,
        badAtMicros,
        recoverAtMicros,
        cycleMicros,
        horizonMicros);
  }
}
