package dev.sixfinger.benchmarks.endtoend;

import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one probe event at a time on a connection of its own (host {@code probe-N}, service {@code
 * probe}, metric 1, no time: the gateway stamps it), waits for its ok, and records both times. The
 * pause between probes is drawn uniformly from [min, max], so that probes do not fall into step
 * with the engine's commit interval.
 */
final class ProbeSender implements AutoCloseable {
  static final String SERVICE = "probe";

  private final RiemannTcpClient client;
  private final ProbeTracker tracker;
  private final long minNanos;
  private final long maxNanos;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile boolean measuring;

  ProbeSender(
      String host,
      int port,
      Duration timeout,
      ProbeTracker tracker,
      Duration minInterval,
      Duration maxInterval)
      throws IOException {
    this.client = new RiemannTcpClient(host, port, timeout);
    this.tracker = tracker;
    this.minNanos = minInterval.toNanos();
    this.maxNanos = maxInterval.toNanos();
    this.thread = new Thread(this::loop, "e2e-probe");
    thread.setDaemon(true);
  }

  static RiemannProto.Msg message(int id) {
    Event probe =
        Event.builder()
            .host(ProbeTracker.host(id))
            .service(SERVICE)
            .state("ok")
            .metric(1)
            .ttl(60f)
            .build();
    return RiemannProto.Msg.newBuilder().addEvents(RiemannCodec.toProto(probe)).build();
  }

  void start() {
    thread.start();
  }

  /** Probes sent from now on are measured (or, with false, no longer). */
  void measuring(boolean on) {
    measuring = on;
  }

  Throwable failure() {
    return failure.get();
  }

  private void loop() {
    SplittableRandom random = new SplittableRandom(7);
    int id = 0;
    ProbeTracker.Probe p = null;
    try {
      while (running) {
        RiemannProto.Msg msg = message(id);
        long send = System.nanoTime();
        p = tracker.sent(id, measuring, send);
        RiemannProto.Msg reply = client.call(msg);
        p.ackNanos = System.nanoTime();
        if (!reply.getOk()) {
          p.error = reply.getError().isEmpty() ? "ok=false" : reply.getError();
        }
        id++;
        long next =
            send + minNanos + (maxNanos > minNanos ? random.nextLong(maxNanos - minNanos) : 0);
        for (long now = System.nanoTime(); now < next && running; now = System.nanoTime()) {
          LockSupport.parkNanos(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(50)));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (p != null && p.ackNanos == ProbeTracker.MISSING) {
        p.error = e.toString();
      }
      if (running) {
        failure.compareAndSet(null, e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(30_000);
    client.close();
  }
}
