package dev.sixfinger.server.ingest;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestMetrics;
import dev.sixfinger.collector.ingest.KafkaEventSink;
import io.dropwizard.lifecycle.Managed;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Runs the gateway inside the server and shows its counters and health on the admin port. */
public final class IngestService implements Managed {
  private final IngestGateway gateway;
  private final KafkaEventSink sink;

  public IngestService(IngestGateway gateway, KafkaEventSink sink) {
    this.gateway = gateway;
    this.sink = sink;
  }

  public IngestGateway gateway() {
    return gateway;
  }

  @Override
  public void start() throws InterruptedException {
    gateway.start();
  }

  @Override
  public void stop() {
    // Stop taking new events first, then let the producer finish what it holds.
    gateway.close();
    sink.close();
  }

  public void registerMetrics(MetricRegistry registry) {
    IngestMetrics m = gateway.metrics();
    Map<String, LongAdder> counters =
        Map.ofEntries(
            Map.entry("events.accepted", m.eventsAccepted),
            Map.entry("events.failed", m.eventsFailed),
            Map.entry("messages.received", m.messagesReceived),
            Map.entry("tcp.connections.opened", m.tcpConnectionsOpened),
            Map.entry("tcp.frames.too-long", m.tcpFramesTooLong),
            Map.entry("tcp.undecodable", m.tcpUndecodable),
            Map.entry("udp.undecodable", m.udpUndecodable),
            Map.entry("udp.dropped.backpressure", m.udpDroppedBackpressure),
            Map.entry("http.rejected", m.httpRejected),
            Map.entry("queries.refused", m.queriesRefused),
            Map.entry("read.pauses", m.readPauses));
    counters.forEach(
        (name, adder) -> registry.register("sixfinger.ingest." + name, (Gauge<Long>) adder::sum));
    registry.register("sixfinger.ingest.inflight.bytes", (Gauge<Long>) gateway::inflightBytes);
  }

  /** Healthy while the gateway listens; reports how much waits for Kafka. */
  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        return Result.healthy(
            "listening on port %d, %d bytes waiting for Kafka",
            gateway.port(), gateway.inflightBytes());
      }
    };
  }
}
