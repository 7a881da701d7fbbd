package dev.sixfinger.scheduler.simulator;

import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.health.HealthConfig;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Host;
import dev.sixfinger.scheduler.ranking.Policy;
import dev.sixfinger.scheduler.ranking.Ranking;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.ranking.Shares;
import dev.sixfinger.scheduler.rebalancer.RebalancerConfig;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays a {@link Trace} against the real {@link Scheduler} on a simulated cluster with a
 * discrete-event clock, once per policy, and reports how each one did. Deterministic for a seed.
 */
public final class SchedulerSimulator {
  /** 2026-01-01T00:00:00Z, the simulated start. */
  static final long T0 = 1_767_225_600_000_000L;

  /**
   * A policy to compare.
   *
   * @param healthAware whether health decisions reach the scheduler; without, bad hosts keep work
   */
  public record PolicySpec(String name, Policy ranking, boolean preemption, boolean healthAware) {}

  /** Wait percentiles in minutes. */
  public record WaitStats(int jobs, double p50Minutes, double p95Minutes) {}

  /** One policy's results. */
  public record Row(
      String policy,
      int jobs,
      int completed,
      double cpuUtilization,
      double memUtilization,
      WaitStats light,
      WaitStats heavy,
      Map<String, WaitStats> perUser,
      double jainIndex,
      int preemptions,
      int ranOnUnhealthyHosts,
      double makespanHours) {}

  /** FCFS and plain DRF without health (as plain schedulers), cumulative share with it. */
  public static List<PolicySpec> defaultPolicies() {
    return List.of(
        new PolicySpec("fcfs", Policy.FCFS, false, false),
        new PolicySpec("drf", Policy.DRF, false, false),
        new PolicySpec("cumulative", Policy.CUMULATIVE, false, true),
        new PolicySpec("cumulative+preemption", Policy.CUMULATIVE, true, true));
  }

  private SchedulerSimulator() {}

  public static List<Row> run(SimulationConfig config, List<PolicySpec> policies) {
    Trace trace = Trace.generate(config);
    List<Row> rows = new ArrayList<>();
    for (PolicySpec p : policies) {
      rows.add(new Run(config, trace, p).run());
    }
    return rows;
  }

  /** The rows as a text table. */
  public static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %6s %6s %6s | %9s %9s | %9s %9s | %6s %7s %9s %8s%n",
            "policy",
            "done",
            "cpu%",
            "mem%",
            "light p50",
            "light p95",
            "heavy p50",
            "heavy p95",
            "jain",
            "preempt",
            "unhealthy",
            "makespan"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-22s %6d %6.1f %6.1f | %8.1fm %8.1fm | %8.1fm %8.1fm | %6.3f %7d %9d %7.1fh%n",
              r.policy(),
              r.completed(),
              100 * r.cpuUtilization(),
              100 * r.memUtilization(),
              r.light().p50Minutes(),
              r.light().p95Minutes(),
              r.heavy().p50Minutes(),
              r.heavy().p95Minutes(),
              r.jainIndex(),
              r.preemptions(),
              r.ranOnUnhealthyHosts(),
              r.makespanHours()));
    }
    return sb.toString();
  }

  /** One policy over the trace. */
  private static final class Run {
    private final SimulationConfig config;
    private final Trace trace;
    private final PolicySpec policy;
    private final long[] now = {T0};
    private final Scheduler scheduler;
    private final Map<String, Long> runtimeOf = new HashMap<>();
    private final Map<String, Long> firstStart = new HashMap<>();
    private final PriorityQueue<long[]> ends =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final List<String> endTask = new ArrayList<>();
    // Hosts that go bad in the scenario, whether or not the policy hears of it.
    private final Set<String> badHosts = new HashSet<>();
    private int preemptions;
    private double cpuArea;
    private double memArea;
    private double jainArea;
    private double jainTime;

    Run(SimulationConfig config, Trace trace, PolicySpec policy) {
      this.config = config;
      this.trace = trace;
      this.policy = policy;
      Resources cluster =
          Resources.of(
              (double) config.hosts() * config.hostCpus(),
              (long) config.hosts() * config.hostMemMib(),
              0);
      // Each user's share is a tenth of the cluster: a heavy user's backlog goes far past it.
      Shares shares = Shares.uniform(new Share(cluster.cpus() / 10, cluster.memMib() / 10.0, 0));
      SchedulerConfig sc =
          SchedulerConfig.defaults()
              .withPolicy(policy.ranking())
              .withShares(shares)
              .withHealth(HealthConfig.DEFAULTS)
              .withRebalancer(policy.preemption() ? RebalancerConfig.cook() : RebalancerConfig.OFF);
      this.scheduler = new Scheduler(sc, () -> now[0]);
    }

    Row run() {
      for (int i = 0; i < config.hosts(); i++) {
        scheduler.applied(
            scheduler.upsertHost(
                host(i),
                Resources.of(config.hostCpus(), config.hostMemMib(), 0),
                Map.of("rack", "r" + i % 10)));
      }
      List<String> bad = new ArrayList<>();
      for (int i = 0; i < config.hosts(); i++) {
        bad.add(host(i));
      }
      Collections.shuffle(bad, new Random(config.seed() ^ 0x5eedL));
      bad = bad.subList(0, (int) Math.round(config.badHostFraction() * config.hosts()));
      badHosts.addAll(bad);
      for (Trace.Arrival a : trace.arrivals()) {
        runtimeOf.put(a.job().uuid(), a.runtimeMicros());
      }
      int next = 0;
      long lastCycle = Long.MIN_VALUE;
      boolean badApplied = false;
      boolean recovered = false;
      long end = T0 + config.horizonMicros();
      long last = T0;
      while (now[0] < end) {
        long t = now[0];
        while (next < trace.arrivals().size() && T0 + trace.arrivals().get(next).atMicros() <= t) {
          scheduler.applied(scheduler.submit(List.of(trace.arrivals().get(next).job())));
          next++;
        }
        while (!ends.isEmpty() && ends.peek()[0] <= t) {
          String task = endTask.get((int) ends.poll()[1]);
          scheduler.applied(
              scheduler.instanceUpdate(task, InstanceState.SUCCESS, Reason.NORMAL_EXIT));
        }
        if (!badApplied && t >= T0 + config.badAtMicros()) {
          badApplied = true;
          health(bad, "drain", T0 + config.recoverAtMicros());
        }
        if (!recovered && t >= T0 + config.recoverAtMicros()) {
          recovered = true;
          health(bad, HealthRecord.NONE, T0 + config.horizonMicros());
        }
        if (t >= lastCycle + config.cycleMicros()) {
          lastCycle = t;
          for (SchedulerEvent e : scheduler.applied(scheduler.cycle(t))) {
            observe(e, t);
          }
          sampleFairness((double) config.cycleMicros());
        }
        if (next >= trace.arrivals().size() && scheduler.state().activeCount() == 0) {
          last = t;
          break;
        }
        long step = lastCycle + config.cycleMicros();
        if (next < trace.arrivals().size()) {
          step = Math.min(step, T0 + trace.arrivals().get(next).atMicros());
        }
        if (!ends.isEmpty()) {
          step = Math.min(step, ends.peek()[0]);
        }
        if (!badApplied) {
          step = Math.min(step, T0 + config.badAtMicros());
        } else if (!recovered) {
          step = Math.min(step, T0 + config.recoverAtMicros());
        }
        sample(t, step);
        now[0] = Math.max(step, t + 1);
        last = now[0];
      }
      return row(last);
    }

    private void health(List<String> hosts, String action, long expires) {
      if (!policy.healthAware()) {
        return;
      }
      for (String h : hosts) {
        List<HealthRecord.Decision> decisions =
            "drain".equals(action)
                ? List.of(
                    new HealthRecord.Decision(
                        "disk-errors", "drain", "disk errors", "fp-" + h, now[0], List.of()))
                : List.of();
        scheduler.applied(
            scheduler.healthRecord(new HealthRecord(h, action, now[0], expires, decisions)));
      }
    }

    private void observe(SchedulerEvent e, long t) {
      if (e instanceof SchedulerEvent.InstanceStarted s) {
        firstStart.putIfAbsent(s.uuid(), t);
        scheduler.applied(scheduler.instanceUpdate(s.taskId(), InstanceState.RUNNING, null));
        endTask.add(s.taskId());
        ends.add(new long[] {t + runtimeOf.get(s.uuid()), endTask.size() - 1});
      } else if (e instanceof SchedulerEvent.Preempted p) {
        preemptions += p.victims().size();
      }
    }

    /** Integrates utilization over [from, to), from the hosts' usage (cheap: per host). */
    private void sample(long from, long to) {
      double dt = to - from;
      if (dt <= 0) {
        return;
      }
      Resources cap = scheduler.state().cluster().capacity();
      Resources used = Resources.ZERO;
      for (Host h : scheduler.state().cluster().all()) {
        used = used.plus(h.used());
      }
      cpuArea += dt * used.milliCpus() / cap.milliCpus();
      memArea += dt * used.memMib() / cap.memMib();
    }

    /**
     * Jain's index of users' dominant shares, over users with work (running or waiting), sampled at
     * each cycle and weighted by the time to the next one.
     */
    private void sampleFairness(double dt) {
      Resources cap = scheduler.state().cluster().capacity();
      Map<String, Resources> byUser = new HashMap<>();
      for (JobStatus s : scheduler.state().activeJobs()) {
        Resources r = s.activeInstance() != null ? s.job().resources() : Resources.ZERO;
        byUser.merge(s.job().user(), r, Resources::plus);
      }
      if (byUser.size() < 2) {
        return;
      }
      double sum = 0;
      double sq = 0;
      for (Resources r : byUser.values()) {
        double x = Ranking.dominantShare(r, cap);
        sum += x;
        sq += x * x;
      }
      if (sq > 0) {
        jainArea += dt * (sum * sum) / (byUser.size() * sq);
        jainTime += dt;
      }
    }

    private Row row(long last) {
      Map<String, List<Double>> waits = new TreeMap<>();
      int completed = 0;
      int unhealthy = 0;
      long badFrom = T0 + config.badAtMicros();
      long badTo = T0 + config.recoverAtMicros();
      for (Trace.Arrival a : trace.arrivals()) {
        JobStatus s = scheduler.state().job(a.job().uuid());
        Long start = firstStart.get(s.uuid());
        double wait = ((start == null ? last : start) - s.job().submitMicros()) / 60e6;
        waits.computeIfAbsent(s.job().user(), u -> new ArrayList<>()).add(wait);
        if (s.succeeded()) {
          completed++;
          for (Instance i : s.instances()) {
            if (i.state() == InstanceState.SUCCESS && ranOnBadHost(i, badFrom, badTo)) {
              unhealthy++;
            }
          }
        }
      }
      Map<String, WaitStats> perUser = new TreeMap<>();
      List<Double> light = new ArrayList<>();
      List<Double> heavy = new ArrayList<>();
      waits.forEach(
          (u, w) -> {
            perUser.put(u, stats(w));
            (trace.heavyUsers().contains(u) ? heavy : light).addAll(w);
          });
      double span = last - T0;
      return new Row(
          policy.name(),
          trace.arrivals().size(),
          completed,
          span > 0 ? cpuArea / span : 0,
          span > 0 ? memArea / span : 0,
          stats(light),
          stats(heavy),
          perUser,
          jainTime > 0 ? jainArea / jainTime : 1,
          preemptions,
          unhealthy,
          span / 3600e6);
    }

    /** A result computed on a host while it was bad (drain decision in force). */
    private boolean ranOnBadHost(Instance i, long from, long to) {
      return badHosts.contains(i.host()) && i.startMicros() < to && i.endMicros() > from;
    }
  }

  static String host(int i) {
    return String.format("node-%04d", i);
  }

  static WaitStats stats(List<Double> values) {
    if (values.isEmpty()) {
      return new WaitStats(0, 0, 0);
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return new WaitStats(v.length, percentile(v, 0.50), percentile(v, 0.95));
  }

  /** Nearest-rank percentile. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
