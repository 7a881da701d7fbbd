package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.benchmarks.index.IndexFixture;
import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An endless, deterministic stream of agent events: every 10 s (one tick) each host sends the
 * agent's 20 services ({@link IndexFixture#AGENT_SERVICES}) and {@code gen/metric-0} to {@code
 * gen/metric-(G-1)}, hosts in turn, with event times spread over the tick. Each event has host,
 * service, metric (or a state and description for {@code check/health}), time, ttl 30 s, a tag and
 * an attribute ({@code disk/used-fraction} also its mount). Like an event that the rules engine
 * decoded from Kafka, each has String instances and collections of its own (whose hashes are not
 * computed yet); making one costs about 0.1 µs.
 *
 * <p>Trouble, so that rules fire and resolve: in every 10-minute epoch, 2% of the hosts (a
 * different 2% each epoch, for each kind of trouble) swap heavily (swap/in-rate, memory), fill
 * their disk, run a high load, have processes in D state, fail their health check, or send high
 * values of a generated service.
 */
public final class AgentFeed {
  /** The agent's interval. */
  public static final long TICK_MICROS = 10_000_000L;

  /** Ticks of one trouble epoch: 10 minutes. */
  static final long EPOCH_TICKS = 60;

  /** Parts per thousand of the hosts in trouble, per kind of trouble and epoch. */
  static final int TROUBLE_PER_MILLE = 20;

  private static final int SWAP = 0;
  private static final int DISK = 1;
  private static final int LOAD = 2;
  private static final int D_STATE = 3;
  private static final int CHECK = 4;
  private static final int GENERATED = 5;

  private static final List<String> TAGS = List.of("linux");
  private static final Float TTL_SECONDS = 30f;

  private final String[] hosts;
  private final int[] cpus;
  private final Map<String, String>[] racks;
  private final Map<String, String>[] rackAndMount;
  private final List<String> services;
  private final int agentServices;
  private final SplittableRandom noise;
  private long tick;
  private int host;
  private int service;
  private long produced;

  /**
   * @param hostCount hosts in the fleet
   * @param generatedServices how many {@code gen/metric-N} services each host sends
   */
  public AgentFeed(int hostCount, int generatedServices, long seed) {
    if (hostCount < 1) {
      throw new IllegalArgumentException("need at least one host, got " + hostCount);
    }
    hosts = new String[hostCount];
    cpus = new int[hostCount];
    racks = newMaps(hostCount);
    rackAndMount = newMaps(hostCount);
    SplittableRandom traits = new SplittableRandom(seed);
    for (int h = 0; h < hostCount; h++) {
      hosts[h] = String.format(Locale.ROOT, "node-%05d.dc1.example.net", h);
      cpus[h] = new int[] {16, 32, 64}[traits.nextInt(3)];
      String rack = String.format(Locale.ROOT, "r%02d", h % 40);
      racks[h] = Map.of("rack", rack);
      rackAndMount[h] = new LinkedHashMap<>();
      rackAndMount[h].put("rack", rack);
      rackAndMount[h].put("mount", "/");
    }
    List<String> all = new ArrayList<>(IndexFixture.AGENT_SERVICES);
    for (int s = 0; s < generatedServices; s++) {
      all.add(generatedService(s));
    }
    services = List.copyOf(all);
    agentServices = IndexFixture.AGENT_SERVICES.size();
    noise = new SplittableRandom(seed * 31 + 7);
  }

  @SuppressWarnings("unchecked") // a generic array, filled right away
  private static Map<String, String>[] newMaps(int n) {
    return (Map<String, String>[]) new Map<?, ?>[n];
  }

  static String generatedService(int s) {
    return "gen/metric-" + s;
  }

  /** The time of the first event. */
  public static long startMicros() {
    return IndexFixture.BASE_TIME_MICROS;
  }

  /** Events per host and tick. */
  public int servicesPerHost() {
    return services.size();
  }

  public int hostCount() {
    return hosts.length;
  }

  /** Events produced so far. */
  public long produced() {
    return produced;
  }

  /** Ticks begun so far, i.e. simulated time in units of 10 s. */
  public long ticks() {
    return tick + 1;
  }

  /** Fills {@code batch} with the next events of the stream. */
  public void fill(Event[] batch) {
    for (int i = 0; i < batch.length; i++) {
      batch[i] = next();
    }
  }

  /** The next event of the stream. */
  public Event next() {
    Event event = make(tick, host, service);
    produced++;
    if (++service == services.size()) {
      service = 0;
      if (++host == hosts.length) {
        host = 0;
        tick++;
      }
    }
    return event;
  }

  private Event make(long t, int h, int s) {
    long time = startMicros() + t * TICK_MICROS + h * (TICK_MICROS / hosts.length);
    String name = services.get(s);
    String state = null;
    String description = null;
    Number metric;
    Map<String, String> attributes = racks[h];
    if (s >= agentServices) {
      int g = s - agentServices;
      metric =
          trouble(h, GENERATED + g, t) ? 85 + 15 * noise.nextDouble() : 60 * noise.nextDouble();
    } else {
      boolean swap = trouble(h, SWAP, t);
      double user = 0.1 + 0.4 * noise.nextDouble();
      double system = 0.02 + 0.05 * noise.nextDouble();
      double load = cpus[h] * (user + system);
      switch (name) {
        case "cpu/user" -> metric = user;
        case "cpu/system" -> metric = system;
        case "cpu/iowait" -> metric = swap ? 0.3 : 0.01 * noise.nextDouble();
        case "cpu/steal" -> metric = 0.0;
        case "cpu/idle" -> metric = Math.max(0, 1 - user - system);
        case "load/1" -> metric = load;
        case "load/5" -> metric = load * 0.95;
        case "load/15" -> metric = load * 0.9;
        case "load/1-per-core" ->
            metric = trouble(h, LOAD, t) ? 4 + noise.nextDouble() : load / cpus[h];
        case "memory/used-fraction" ->
            metric = swap ? 0.97 + 0.02 * noise.nextDouble() : 0.3 + 0.4 * noise.nextDouble();
        case "memory/available-bytes" -> metric = ((long) cpus[h] * 4L) << 30;
        case "swap/used-fraction" -> metric = swap ? 0.85 : 0.02;
        case "swap/in-rate" ->
            metric = swap ? 2000 + 800 * noise.nextDouble() : 4 * noise.nextDouble();
        case "swap/out-rate" ->
            metric = swap ? 1500 + 600 * noise.nextDouble() : 2 * noise.nextDouble();
        case "disk/used-fraction" -> {
          metric = trouble(h, DISK, t) ? 0.975 : 0.2 + 0.5 * (h % 100) / 100.0;
          attributes = rackAndMount[h];
        }
        case "processes/blocked" ->
            metric = trouble(h, D_STATE, t) ? 40L + noise.nextInt(10) : (long) noise.nextInt(2);
        case "capacity/cpus" -> metric = (long) cpus[h];
        case "capacity/memory-bytes" -> metric = ((long) cpus[h] * 8L) << 30;
        case "check/health" -> {
          boolean failing = trouble(h, CHECK, t);
          metric = null;
          state = failing ? "critical" : "ok";
          description = failing ? "GET /health: timeout after 5 s" : "GET /health: 200 OK";
        }
        case "uptime/seconds" -> metric = 86_400L + t * 10;
        default -> throw new IllegalStateException("no values for service " + name);
      }
    }
    // New String instances and (in the constructor) new collections for every event, as a decoder
    // makes them: hashes are not cached yet, equal keys are not identical.
    return new Event(
        new String(hosts[h]),
        new String(name),
        state,
        description,
        metric,
        TAGS,
        attributes,
        time,
        TTL_SECONDS);
  }

  /** Whether host {@code h} has trouble of kind {@code kind} in the epoch of tick {@code t}. */
  static boolean trouble(int h, int kind, long t) {
    long x = h * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + (t / EPOCH_TICKS) * 0x165667B1L;
    // splitmix64's finalizer
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    x ^= x >>> 31;
    return Math.floorMod(x, 1000) < TROUBLE_PER_MILLE;
  }
}
