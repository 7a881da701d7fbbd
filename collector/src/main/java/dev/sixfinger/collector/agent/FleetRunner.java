package dev.sixfinger.collector.agent;

import dev.sixfinger.collector.agent.simulator.FleetSimulator;
import dev.sixfinger.collector.agent.transport.RiemannTransport;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link FleetSimulator} like a fleet of agents: every interval each virtual host reports,
 * through the same transport (and spool) as a real agent.
 */
public final class FleetRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRunner.class);

  private final FleetSimulator simulator;
  private final AgentConfig config;
  private final RiemannTransport transport;
  private final Clock clock;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fleet-simulator");
            t.setDaemon(true);
            return t;
          });
  private long startMicros;
  private long ticks;

  public FleetRunner(FleetSimulator simulator, AgentConfig config, Clock clock) throws IOException {
    this.simulator = simulator;
    this.config = config;
    this.transport = new RiemannTransport(Agent.transportSettings(config));
    this.clock = clock;
  }

  public void start() {
    startMicros = clock.nowMicros();
    ticker.scheduleAtFixedRate(
        this::tickSafely, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "simulating {} hosts every {} ms into {}",
        simulator.hostCount(),
        config.interval().toMillis(),
        config.endpoints());
  }

  private void tickSafely() {
    try {
      long now = clock.nowMicros();
      List<Event> events = simulator.tick(Duration.ofNanos((now - startMicros) * 1000), now);
      float ttl = config.ttlSeconds();
      transport.submit(events.stream().map(e -> e.toBuilder().ttl(ttl).build()).toList());
      if (++ticks % 6 == 1) {
        RiemannTransport.Stats s = transport.stats();
        LOG.info(
            "simulator: {} events this round; sent {} in all, {} waiting in the spool, {} send"
                + " errors",
            events.size(),
            s.sentEvents(),
            s.spoolDepth(),
            s.sendErrors());
      }
    } catch (RuntimeException e) {
      LOG.error("simulation round failed", e);
    }
  }

  public RiemannTransport.Stats stats() {
    return transport.stats();
  }

  @Override
  public void close() throws IOException {
    Agent.stopWithoutInterrupt(ticker, config.interval());
    transport.close();
  }
}
