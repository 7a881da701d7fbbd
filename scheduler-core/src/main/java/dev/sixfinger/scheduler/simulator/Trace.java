package dev.sixfinger.scheduler.simulator;

import dev.sixfinger.scheduler.job.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic workload shaped like the seed cluster's: jobs of 10–100 GB and 1–20 cpus running 15
 * minutes to hours; a few heavy users who submit a large batch early and many light users who
 * submit a few jobs through the day. Same seed, same trace.
 */
public record Trace(List<Arrival> arrivals, List<String> heavyUsers, List<String> lightUsers) {
  /** A job, when it arrives (micros from the start) and how long it runs once placed. */
  public record Arrival(long atMicros, Job job, long runtimeMicros) {}

  static final long MINUTE = 60_000_000L;
  static final long HOUR = 60 * MINUTE;

  public Trace {
    arrivals = List.copyOf(arrivals);
    heavyUsers = List.copyOf(heavyUsers);
    lightUsers = List.copyOf(lightUsers);
  }

  public static Trace generate(SimulationConfig c) {
    Random rnd = new Random(c.seed());
    List<Arrival> out = new ArrayList<>();
    List<String> heavy = new ArrayList<>();
    List<String> light = new ArrayList<>();
    for (int u = 0; u < c.heavyUsers(); u++) {
      String user = String.format("heavy%02d", u + 1);
      heavy.add(user);
      for (int k = 0; k < c.heavyJobsPerUser(); k++) {
        out.add(arrival(rnd, user, k, (long) (rnd.nextDouble() * c.heavySubmitWindowMicros())));
      }
    }
    for (int u = 0; u < c.lightUsers(); u++) {
      String user = String.format("light%02d", u + 1);
      light.add(user);
      for (int k = 0; k < c.lightJobsPerUser(); k++) {
        out.add(arrival(rnd, user, k, (long) (rnd.nextDouble() * c.lightSubmitWindowMicros())));
      }
    }
    out.sort(Comparator.comparingLong(Arrival::atMicros).thenComparing(a -> a.job().uuid()));
    return new Trace(out, heavy, light);
  }

  private static Arrival arrival(Random rnd, String user, int k, long at) {
    long memGb = 10L + rnd.nextInt(91);
    int cpus = 1 + rnd.nextInt(20);
    // Log-uniform between 15 minutes and 6 hours: many short jobs, a long tail of long ones.
    double minutes = 15 * Math.exp(rnd.nextDouble() * Math.log(24));
    Job job =
        Job.builder(user + "-" + k, user, "simulated")
            .cpus(cpus)
            .memMib(memGb * 1024)
            .maxRetries(3)
            .build();
    return new Arrival(at, job, (long) (minutes * MINUTE));
  }
}
