package dev.sixfinger.collector.agent;

import dev.sixfinger.collector.agent.check.CheckScheduler;
import dev.sixfinger.collector.agent.sampler.FileSystemAccess;
import dev.sixfinger.collector.agent.sampler.HostSamplers;
import dev.sixfinger.collector.agent.sampler.Sampler;
import dev.sixfinger.collector.agent.transport.RiemannTransport;
import dev.sixfinger.collector.agent.transport.TransportSettings;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: every interval it samples the host, stamps each event with the host name, the
 * configured tags and attributes and a ttl of a few intervals, and hands them to the transport,
 * which spools them on disk until the ingest acknowledges them. Script checks run on their own
 * schedules into the same path. It also reports on itself ({@code agent/*} services).
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final List<Sampler> samplers;
  private final Consumer<Event> output;
  private final Clock clock;
  private final RiemannTransport transport;
  private final CheckScheduler checks;
  private final ScheduledExecutorService ticker;
  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong samplerErrors = new AtomicLong();
  private long lastReportMicros;
  private long lastReportEmitted;

  /** For tests: samplers and output chosen by the caller, no transport, no checks. */
  Agent(AgentConfig config, List<Sampler> samplers, Consumer<Event> output, Clock clock) {
    this(config, samplers, output, clock, null, null);
  }

  private Agent(
      AgentConfig config,
      List<Sampler> samplers,
      Consumer<Event> output,
      Clock clock,
      RiemannTransport transport,
      CheckScheduler checks) {
    this.config = config;
    this.samplers = List.copyOf(samplers);
    this.output = output;
    this.clock = clock;
    this.transport = transport;
    this.checks = checks;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agent-sampler");
              t.setDaemon(true);
              return t;
            });
    this.lastReportMicros = clock.nowMicros();
  }

  /** Builds the real agent: /proc samplers, script checks, Riemann transport with its spool. */
  public static Agent create(AgentConfig config, Clock clock) throws IOException {
    RiemannTransport transport = new RiemannTransport(transportSettings(config));
    List<Sampler> samplers = HostSamplers.standard(config.procRoot(), FileSystemAccess.system());
    Agent[] self = new Agent[1];
    CheckScheduler checks =
        config.checks().isEmpty()
            ? null
            : new CheckScheduler(config.checks(), e -> self[0].emit(e), clock, 4);
    self[0] = new Agent(config, samplers, transport, clock, transport, checks);
    return self[0];
  }

  /** The transport settings of an agent config, shared with the fleet simulator. */
  public static TransportSettings transportSettings(AgentConfig config) {
    return TransportSettings.defaults(config.endpoints(), config.spoolDir())
        .withBatch(config.batchSize(), config.batchDelay())
        .withSpoolMaxBytes(config.spoolMaxBytes());
  }

  /** Starts sampling every interval, and the checks. */
  public void start() {
    long period = config.interval().toMillis();
    ticker.scheduleAtFixedRate(this::tickSafely, 0, period, TimeUnit.MILLISECONDS);
    if (checks != null) {
      checks.start();
    }
    LOG.info(
        "agent for host {} sampling every {} ms into {} ({} checks)",
        config.host(),
        period,
        config.endpoints(),
        config.checks().size());
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log, and keep sampling.
      LOG.error("sampling failed", e);
    }
  }

  /** One round: every sampler, then the self-report. Visible for tests. */
  void tick() {
    long now = clock.nowMicros();
    for (Sampler sampler : samplers) {
      try {
        sampler.sample(now).forEach(this::emit);
      } catch (IOException | RuntimeException e) {
        samplerErrors.incrementAndGet();
        emit(
            Event.builder()
                .service("agent/sampler/" + sampler.name())
                .state("critical")
                .description(String.valueOf(e.getMessage()))
                .timeMicros(now)
                .build());
      }
    }
    selfReport(now);
  }

  private void selfReport(long now) {
    long total = emitted.get();
    double seconds = Math.max(1e-6, (now - lastReportMicros) / 1e6);
    double rate = (total - lastReportEmitted) / seconds;
    lastReportMicros = now;
    lastReportEmitted = total;
    List<Event> report = new ArrayList<>();
    report.add(self(now, "agent/events-rate", rate));
    report.add(self(now, "agent/sampler-errors", samplerErrors.get()));
    if (transport != null) {
      RiemannTransport.Stats s = transport.stats();
      report.add(self(now, "agent/spool-depth", s.spoolDepth()));
      report.add(self(now, "agent/spool-bytes", s.spoolBytes()));
      report.add(self(now, "agent/send-errors", s.sendErrors()));
      report.add(self(now, "agent/dropped", s.dropped()));
      report.add(self(now, "agent/sent-events", s.sentEvents()));
    }
    if (checks != null) {
      long maxMillis = 0;
      long skipped = 0;
      for (CheckScheduler.CheckStats c : checks.stats()) {
        maxMillis = Math.max(maxMillis, c.lastDuration() == null ? 0 : c.lastDuration().toMillis());
        skipped += c.skipped();
      }
      report.add(self(now, "agent/check-runtime-max-ms", maxMillis));
      report.add(self(now, "agent/checks-skipped", skipped));
    }
    report.forEach(this::emit);
  }

  private static Event self(long now, String service, Number metric) {
    return Event.builder().service(service).metric(metric).timeMicros(now).build();
  }

  /** Stamps an event with this host's identity and ttl, and sends it on. */
  void emit(Event event) {
    Event.Builder b = event.toBuilder().host(config.host());
    if (!config.tags().isEmpty()) {
      List<String> tags = new ArrayList<>(config.tags());
      event.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
      b.tags(tags);
    }
    if (!config.attributes().isEmpty()) {
      Map<String, String> attributes = new LinkedHashMap<>(config.attributes());
      attributes.putAll(event.attributes()); // the event's own say more than the defaults
      b.attributes(attributes);
    }
    if (event.ttl() == null) {
      b.ttl(config.ttlSeconds());
    }
    if (event.timeMicros() == null) {
      b.timeMicros(clock.nowMicros());
    }
    emitted.incrementAndGet();
    output.accept(b.build());
  }

  /** Stops sampling and checks; what was emitted is still sent until {@link #close()}. */
  public void stopSampling() {
    stopWithoutInterrupt(ticker, config.interval());
    if (checks != null) {
      checks.close();
    }
  }

  /** Events handed to the transport so far. */
  public long emittedEvents() {
    return emitted.get();
  }

  public RiemannTransport.Stats transportStats() {
    return transport == null ? null : transport.stats();
  }

  @Override
  public void close() throws IOException {
    stopSampling();
    if (transport != null) {
      transport.close();
    }
  }

  /**
   * Lets a round in progress finish instead of interrupting it: an interrupt in the middle of a
   * spool write would close the spool's file channel under it.
   */
  static void stopWithoutInterrupt(ScheduledExecutorService ticker, java.time.Duration interval) {
    ticker.shutdown();
    try {
      if (!ticker.awaitTermination(interval.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
        LOG.warn("a sampling round did not finish in time; stopping anyway");
        ticker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
