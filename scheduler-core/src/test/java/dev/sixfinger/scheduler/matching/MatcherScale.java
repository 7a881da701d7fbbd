package dev.sixfinger.scheduler.matching;

import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.ranking.Quotas;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Times one matching cycle of 100,000 jobs over 10,000 hosts. Not a unit test (no timing
 * assertions): run it with {@code java -cp <test classpath>
 * dev.sixfinger.scheduler.matching.MatcherScale}.
 */
public final class MatcherScale {
  private MatcherScale() {}

  public static void main(String[] args) {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Random rnd = new Random(1);
    List<Host> cluster = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      // Partly used hosts, so that free space is ragged as in a live cluster.
      Resources cap = Resources.of(64, 512 * 1024, 0);
      Resources used = Resources.of(rnd.nextInt(40), 1024L * rnd.nextInt(300), 0);
      cluster.add(new Host("node-" + i, cap, Map.of("rack", "r" + i % 50), used));
    }
    List<Matcher.Request> requests = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Job.Builder b =
          Job.builder("j" + i, "u" + rnd.nextInt(100), "c")
              .cpus(1 + rnd.nextInt(20))
              .memMib(1024L * (10 + rnd.nextInt(91)));
      if (rnd.nextInt(20) == 0) {
        b.constraint(
            "rack", dev.sixfinger.scheduler.job.Constraint.Op.EQUALS, "r" + rnd.nextInt(50));
      }
      requests.add(new Matcher.Request(b.build(), Set.of(), null));
    }
    for (int round = 0; round < 5; round++) {
      long t = System.nanoTime();
      Matcher.Result r =
          Matcher.match(
              requests, cluster, h -> true, Map.of(), Quotas.unlimited().tracker(Map.of()));
      System.out.printf(
          "%d jobs x %d hosts: %d placed, %d waiting, %.1f ms%n",
          jobs, hosts, r.placements().size(), r.skipped().size(), (System.nanoTime() - t) / 1e6);
    }
    // The whole cycle through the facade: ranking, quotas, matching and the events.
    long[] now = {1_767_225_600_000_000L};
    for (int round = 0; round < 3; round++) {
      Scheduler s = new Scheduler(SchedulerConfig.defaults(), () -> now[0]);
      for (Host h : cluster) {
        s.applied(s.upsertHost(h.name(), h.capacity().minus(h.used()), h.attributes()));
      }
      List<Job> all = new ArrayList<>();
      requests.forEach(q -> all.add(q.job()));
      s.applied(s.submit(all));
      long t = System.nanoTime();
      List<SchedulerEvent> events = s.cycle(now[0]);
      long cycle = System.nanoTime() - t;
      s.apply(events);
      System.out.printf(
          "Scheduler.cycle: %d placements in %.1f ms (apply %.1f ms more)%n",
          events.size(), cycle / 1e6, (System.nanoTime() - t - cycle) / 1e6);
    }
  }
}
