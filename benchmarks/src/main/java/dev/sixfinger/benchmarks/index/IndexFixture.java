package dev.sixfinger.benchmarks.index;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.index.Index;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The content of the index benchmarks: {@code hosts × servicesPerHost} agent events, one per (host,
 * service), as the rules engine gets them from Kafka (each one encoded to Riemann protobuf and
 * decoded again, so that no two events share a String, as after deserialization). Deterministic:
 * the same arguments give the same events.
 *
 * <p>Each event has host, service, state, metric (a double in [0, 1), so {@code metric > 0.9}
 * matches about 10%), time, ttl, a tag and an attribute; {@code check/health} events also have a
 * description, which contains "timeout" on about 1% of the hosts. The first services are those of
 * the agent (3 of them start with "swap"), the rest {@code gen/metric-N}.
 */
public final class IndexFixture {
  /** A fixed time (2026-01-01), so that every run builds the same events. */
  public static final long BASE_TIME_MICROS = 1_767_225_600_000_000L;

  /** The index's ttl is 30 s (3 agent intervals); the clock never moves, so nothing expires. */
  static final float TTL_SECONDS = 30f;

  /** The services of the agent (and of the fleet simulator): every host sends these. */
  public static final List<String> AGENT_SERVICES =
      List.of(
          "cpu/user",
          "cpu/system",
          "cpu/iowait",
          "cpu/steal",
          "cpu/idle",
          "load/1",
          "load/5",
          "load/15",
          "load/1-per-core",
          "memory/used-fraction",
          "memory/available-bytes",
          "swap/used-fraction",
          "swap/in-rate",
          "swap/out-rate",
          "disk/used-fraction",
          "processes/blocked",
          "capacity/cpus",
          "capacity/memory-bytes",
          "check/health",
          "uptime/seconds");

  /** The prefix query: the service prefix index answers it. */
  public static final Query PREFIX_QUERY = Query.parse("service =~ \"swap%\"");

  /** A full scan that matches about 10% of the entries. */
  public static final Query SCAN_METRIC_QUERY = Query.parse("metric > 0.9");

  /** A full scan that matches about 1 in 5,000 entries (a search in the text). */
  public static final Query SCAN_DESCRIPTION_QUERY = Query.parse("description =~ \"%timeout%\"");

  private final String[] hosts;
  private final String[] services;
  private final List<Event> events;

  private IndexFixture(String[] hosts, String[] services, List<Event> events) {
    this.hosts = hosts;
    this.services = services;
    this.events = events;
  }

  /** Builds {@code hosts × servicesPerHost} events; about 1 µs per event. */
  public static IndexFixture build(int hostCount, int servicesPerHost) {
    if (hostCount < 1 || servicesPerHost < 1) {
      throw new IllegalArgumentException(
          "need at least one host and one service, got "
              + hostCount
              + " hosts and "
              + servicesPerHost
              + " services");
    }
    String[] hosts = new String[hostCount];
    for (int h = 0; h < hostCount; h++) {
      hosts[h] = hostName(h);
    }
    String[] services = new String[servicesPerHost];
    for (int s = 0; s < servicesPerHost; s++) {
      services[s] =
          s < AGENT_SERVICES.size()
              ? AGENT_SERVICES.get(s)
              : "gen/metric-" + (s - AGENT_SERVICES.size());
    }
    SplittableRandom random = new SplittableRandom(42);
    List<Event> events = new ArrayList<>(hostCount * servicesPerHost);
    for (int h = 0; h < hostCount; h++) {
      for (int s = 0; s < servicesPerHost; s++) {
        Event event = event(h, hosts[h], services[s], random);
        events.add(RiemannCodec.decode(RiemannCodec.encode(event)));
      }
    }
    return new IndexFixture(hosts, services, events);
  }

  static String hostName(int h) {
    return String.format(Locale.ROOT, "node-%05d.dc1.example.net", h);
  }

  private static Event event(int h, String host, String service, SplittableRandom random) {
    Event.Builder b =
        Event.builder()
            .host(host)
            .service(service)
            .state("ok")
            .metric(random.nextDouble())
            .timeMicros(BASE_TIME_MICROS + random.nextLong(10_000_000L))
            .ttl(TTL_SECONDS)
            .tag("linux")
            .attribute("rack", String.format(Locale.ROOT, "r%02d", h % 40));
    if (service.equals("check/health")) {
      boolean failing = h % 100 == 7;
      b.state(failing ? "critical" : "ok")
          .description(failing ? "GET /health: timeout after 5 s" : "GET /health: 200 OK");
    }
    return b.build();
  }

  public List<Event> events() {
    return events;
  }

  public int size() {
    return events.size();
  }

  /** Host names, as new String instances (a lookup comes from outside, like a query). */
  public String host(int h) {
    return new String(hosts[h].toCharArray());
  }

  public String service(int s) {
    return new String(services[s].toCharArray());
  }

  public int hostCount() {
    return hosts.length;
  }

  public int serviceCount() {
    return services.length;
  }

  /**
   * An index of every event, delivering to subscribers (there are none) on the caller's thread, so
   * that it starts no thread. Its clock stands at the base time: nothing expires.
   */
  public Index newIndex() {
    Clock clock = () -> BASE_TIME_MICROS;
    Index index =
        new Index(clock, Duration.ofSeconds(60), Index.DEFAULT_SUBSCRIBER_QUEUE, Runnable::run);
    for (Event event : events) {
      index.update(event);
    }
    return index;
  }

  /** The baseline of lookups and of the heap figure: a plain HashMap of the same events. */
  public Map<HostService, Event> newHashMap() {
    Map<HostService, Event> map = new HashMap<>();
    for (Event event : events) {
      map.put(new HostService(event.host(), event.service()), event);
    }
    return map;
  }

  /** The baseline's key. */
  public record HostService(String host, String service) {}
}
