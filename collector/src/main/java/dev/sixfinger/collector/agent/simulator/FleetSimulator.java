package dev.sixfinger.collector.agent.simulator;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * N virtual hosts that report what the agent's samplers report, with realistic and slowly varying
 * values, and named {@link Scenario}s switched on at time offsets. Deterministic for a seed, so a
 * demo or a test sees the same fleet every time. Service names are those of the real samplers.
 */
public final class FleetSimulator {

  /** One virtual host's fixed traits; its readings vary around them. */
  private record Host(
      String name,
      int cpus,
      long memoryBytes,
      double cpuBase,
      double memBase,
      double diskBase,
      double phase) {}

  private final List<Host> hosts = new ArrayList<>();
  private final List<Scenario> scenarios;
  private final Map<Scenario, Set<String>> affected = new java.util.HashMap<>();
  private final Random noise;

  public FleetSimulator(int hostCount, List<Scenario> scenarios, long seed) {
    if (hostCount <= 0) {
      throw new IllegalArgumentException("--simulate needs at least one host, got " + hostCount);
    }
    Random traits = new Random(seed);
    int width = Integer.toString(hostCount).length();
    for (int i = 1; i <= hostCount; i++) {
      int cpus = new int[] {16, 32, 64}[traits.nextInt(3)];
      long memoryGiB = new long[] {64, 128, 256, 512}[traits.nextInt(4)];
      hosts.add(
          new Host(
              String.format("sim-%0" + Math.max(4, width) + "d", i),
              cpus,
              memoryGiB << 30,
              0.1 + 0.4 * traits.nextDouble(),
              0.3 + 0.4 * traits.nextDouble(),
              0.2 + 0.5 * traits.nextDouble(),
              traits.nextDouble() * 2 * Math.PI));
    }
    this.scenarios = List.copyOf(scenarios);
    for (Scenario s : this.scenarios) {
      List<String> names = new ArrayList<>(hosts.stream().map(Host::name).toList());
      Collections.shuffle(names, new Random(seed ^ s.toString().hashCode()));
      affected.put(s, new HashSet<>(names.subList(0, s.hostsAffected(hostCount))));
    }
    this.noise = new Random(seed * 31 + 7);
  }

  public int hostCount() {
    return hosts.size();
  }

  /** The hosts a scenario picked, for demos and tests that need to know who is "sick". */
  public Set<String> hostsOf(Scenario scenario) {
    return Collections.unmodifiableSet(affected.get(scenario));
  }

  /**
   * One round of readings from every host that is not silent.
   *
   * @param elapsed time since the start of the run, which decides the scenarios in force
   * @param nowMicros the events' time
   */
  public List<Event> tick(Duration elapsed, long nowMicros) {
    double t = elapsed.toMillis() / 1000.0;
    List<Event> events = new ArrayList<>(hosts.size() * 20);
    for (Host h : hosts) {
      Map<Scenario.Kind, Boolean> faults = faultsOf(h.name(), elapsed);
      if (faults.containsKey(Scenario.Kind.HOST_SILENT)) {
        continue;
      }
      // A slow daily-ish wave (period 10 minutes, so demos show movement) plus a little noise.
      double wave = Math.sin(t / 600.0 * 2 * Math.PI + h.phase());
      double cpuUser = clamp(h.cpuBase() + 0.1 * wave + jitter(0.02));
      double cpuSystem = clamp(0.05 + 0.02 * wave + jitter(0.01));
      double iowait = clamp(0.01 + jitter(0.005));
      double memUsed = clamp(h.memBase() + 0.05 * wave + jitter(0.01));
      double swapIn = Math.max(0, 2 + 2 * wave + jitter(1));
      double swapOut = Math.max(0, 1 + wave + jitter(1));
      double swapUsed = clamp(0.02 + jitter(0.005));
      double load = Math.max(0, h.cpus() * (cpuUser + cpuSystem) + jitter(0.3));
      double diskUsed = clamp(h.diskBase() + t / 86_400.0 * 0.01);
      long blocked = Math.max(0, Math.round(jitter(0.6)));
      String check = "ok";
      if (faults.containsKey(Scenario.Kind.SWAP_STORM)) {
        swapIn = 2_000 + 800 * Math.abs(wave) + jitter(200);
        swapOut = 1_500 + 600 * Math.abs(wave) + jitter(200);
        swapUsed = clamp(0.85 + jitter(0.05));
        memUsed = clamp(0.97 + jitter(0.01));
        iowait = clamp(0.3 + jitter(0.05));
      }
      if (faults.containsKey(Scenario.Kind.DISK_FULL)) {
        diskUsed = clamp(0.975 + jitter(0.01));
      }
      if (faults.containsKey(Scenario.Kind.LOAD_SPIKE)) {
        load = h.cpus() * (4 + jitter(0.5));
      }
      if (faults.containsKey(Scenario.Kind.D_STATE)) {
        blocked = 40 + Math.round(Math.abs(jitter(10)));
      }
      if (faults.containsKey(Scenario.Kind.CHECK_FAILING)) {
        check = "critical";
      }
      double idle = clamp(1 - cpuUser - cpuSystem - iowait);
      long memAvailable = Math.round(h.memoryBytes() * (1 - memUsed));

      add(events, h, nowMicros, "cpu/user", cpuUser);
      add(events, h, nowMicros, "cpu/system", cpuSystem);
      add(events, h, nowMicros, "cpu/iowait", iowait);
      add(events, h, nowMicros, "cpu/steal", 0.0);
      add(events, h, nowMicros, "cpu/idle", idle);
      add(events, h, nowMicros, "load/1", load);
      add(events, h, nowMicros, "load/5", load * 0.95);
      add(events, h, nowMicros, "load/15", load * 0.9);
      add(events, h, nowMicros, "load/1-per-core", load / h.cpus());
      add(events, h, nowMicros, "memory/used-fraction", memUsed);
      add(events, h, nowMicros, "memory/available-bytes", memAvailable);
      add(events, h, nowMicros, "swap/used-fraction", swapUsed);
      add(events, h, nowMicros, "swap/in-rate", swapIn);
      add(events, h, nowMicros, "swap/out-rate", swapOut);
      events.add(
          base(h, nowMicros, "disk/used-fraction")
              .metric(diskUsed)
              .attribute("mount", "/")
              .build());
      add(events, h, nowMicros, "processes/blocked", blocked);
      add(events, h, nowMicros, "capacity/cpus", (long) h.cpus());
      add(events, h, nowMicros, "capacity/memory-bytes", h.memoryBytes());
      events.add(
          base(h, nowMicros, "check/health")
              .state(check)
              .description("ok".equals(check) ? "all good" : "simulated failure")
              .build());
    }
    return events;
  }

  private Map<Scenario.Kind, Boolean> faultsOf(String host, Duration elapsed) {
    Map<Scenario.Kind, Boolean> faults = new EnumMap<>(Scenario.Kind.class);
    for (Scenario s : scenarios) {
      if (s.activeAt(elapsed) && affected.get(s).contains(host)) {
        faults.put(s.kind(), true);
      }
    }
    return faults;
  }

  private static void add(List<Event> events, Host h, long now, String service, Number metric) {
    events.add(base(h, now, service).metric(metric).build());
  }

  private static Event.Builder base(Host h, long now, String service) {
    return Event.builder().host(h.name()).service(service).timeMicros(now).tag("simulated");
  }

  private double jitter(double scale) {
    return noise.nextGaussian() * scale;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
