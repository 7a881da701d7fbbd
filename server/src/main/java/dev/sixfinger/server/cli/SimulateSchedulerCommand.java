package dev.sixfinger.server.cli;

import dev.sixfinger.scheduler.simulator.SchedulerSimulator;
import dev.sixfinger.scheduler.simulator.SimulationConfig;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./sixfinger simulate-scheduler}: replays a synthetic, seed-shaped trace under FCFS, plain
 * DRF, Cook's cumulative share, and cumulative share with preemption, and prints one row per
 * policy.
 */
public final class SimulateSchedulerCommand extends Command {
  static final int DEFAULT_SEED = 7;

  public SimulateSchedulerCommand() {
    super(
        "simulate-scheduler",
        "Simulate the scheduler on a synthetic cluster and workload (3 heavy and 40 light users, 10%"
            + " of the hosts going bad for 6 hours) under each policy, and print waits, utilization,"
            + " fairness, preemptions and work done on bad hosts");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser
        .addArgument("--seed")
        .type(Long.class)
        .setDefault((long) DEFAULT_SEED)
        .metavar("N")
        .help("seed of the trace; the same seed gives the same table (default 7)");
    subparser
        .addArgument("--hosts")
        .type(Integer.class)
        .setDefault(200)
        .metavar("N")
        .help("hosts of 64 cpus and 512 GB (default 200)");
    subparser
        .addArgument("--jobs")
        .type(Integer.class)
        .setDefault(2800)
        .metavar("N")
        .help(
            "about this many jobs: 6/7 from the 3 heavy users in the first half hour, 1/7 from"
                + " the 40 light users over 12 hours, at least one each (default 2800)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) {
    int status;
    try {
      status =
          run(ns.getLong("seed"), ns.getInt("hosts"), ns.getInt("jobs"), System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate-scheduler: " + e.getMessage());
      status = 2;
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The trace's shape for the arguments. @throws IllegalArgumentException naming the argument */
  static SimulationConfig config(long seed, int hosts, int jobs) {
    if (hosts < 1 || hosts > 100_000) {
      throw new IllegalArgumentException("--hosts must be between 1 and 100000, got " + hosts);
    }
    if (jobs < 1 || jobs > 1_000_000) {
      throw new IllegalArgumentException("--jobs must be between 1 and 1000000, got " + jobs);
    }
    SimulationConfig d = SimulationConfig.defaults(seed);
    int heavy = Math.max(1, (int) Math.round(jobs * 6.0 / 7 / d.heavyUsers()));
    int light = Math.max(1, (int) Math.round(jobs / 7.0 / d.lightUsers()));
    return d.scaled(hosts, heavy, light);
  }

  static int run(long seed, int hosts, int jobs, PrintStream out, PrintStream err) {
    SimulationConfig c = config(seed, hosts, jobs);
    List<SchedulerSimulator.PolicySpec> policies = SchedulerSimulator.defaultPolicies();
    List<SchedulerSimulator.Row> rows = new ArrayList<>();
    long start = System.nanoTime();
    boolean told = false;
    for (int i = 0; i < policies.size(); i++) {
      SchedulerSimulator.PolicySpec p = policies.get(i);
      long t0 = System.nanoTime();
      rows.addAll(SchedulerSimulator.run(c, List.of(p)));
      double total = (System.nanoTime() - start) / 1e9;
      if (told || total > 1) {
        if (!told) {
          err.printf(
              Locale.ROOT,
              "simulating %d hosts, %d jobs, seed %d%n",
              c.hosts(),
              c.heavyUsers() * c.heavyJobsPerUser() + c.lightUsers() * c.lightJobsPerUser(),
              seed);
          told = true;
        }
        err.printf(
            Locale.ROOT,
            "%d/%d %s done in %.1f s%n",
            i + 1,
            policies.size(),
            p.name(),
            (System.nanoTime() - t0) / 1e9);
      }
    }
    out.print(SchedulerSimulator.format(rows));
    return 0;
  }
}
