package dev.sixfinger.collector.ingest;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingest path. Plain counters so the collector stays free of any metrics framework;
 * the server exposes them on the admin port.
 */
public final class IngestMetrics {
  public final LongAdder eventsAccepted = new LongAdder();
  public final LongAdder eventsFailed = new LongAdder();
  public final LongAdder messagesReceived = new LongAdder();
  public final LongAdder tcpConnectionsOpened = new LongAdder();
  public final LongAdder tcpFramesTooLong = new LongAdder();
  public final LongAdder tcpUndecodable = new LongAdder();
  public final LongAdder udpUndecodable = new LongAdder();
  public final LongAdder udpDroppedBackpressure = new LongAdder();
  public final LongAdder httpRejected = new LongAdder();
  public final LongAdder queriesRefused = new LongAdder();
  public final LongAdder readPauses = new LongAdder();
}
