package dev.sixfinger.benchmarks.endtoend;

import dev.sixfinger.benchmarks.ingest.SampleEvents;
import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.riemann.RiemannProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Background load at a steady rate: the ingest harness's agent messages (one host's metrics per
 * message, {@link SampleEvents#HOSTS} hosts), pipelined over a few Riemann TCP connections, each
 * writer paced by a {@link Pacer}. Unlike the ingest harness's {@code GatewayLoad}, which sends a
 * fixed number of messages as fast as it can, this runs until {@link #stop()}.
 */
final class PacedLoad {

  /** What the load did; latency only over the measured window. */
  record Result(
      long sentMessages,
      long ackedMessages,
      long droppedMessages,
      long failedReplies,
      String firstError,
      Histogram measuredLatencyNanos) {}

  private final String host;
  private final int port;
  private final List<byte[]> frames;
  private final int eventsPerMessage;
  private final int window;
  private final long periodNanos;
  private final Duration timeout;
  private final List<Connection> connections = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile boolean measuring;

  PacedLoad(
      String host,
      int port,
      List<byte[]> frames,
      int eventsPerMessage,
      int connections,
      int window,
      double eventsPerSecond,
      Duration timeout)
      throws IOException {
    this.host = host;
    this.port = port;
    this.frames = frames;
    this.eventsPerMessage = eventsPerMessage;
    this.window = window;
    this.periodNanos = Pacer.periodNanos(eventsPerSecond, eventsPerMessage, connections);
    this.timeout = timeout;
    long start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      // Spread the connections' sends over the period, and over the hosts.
      this.connections.add(
          new Connection(
              i, start + i * periodNanos / connections, i * frames.size() / connections));
    }
  }

  /**
   * The ingest harness's events without their time, so that the gateway gives them the receive time
   * as most agents' events carry the current time. (With the harness's fixed 2026-01-01 time every
   * event would be past its ttl on arrival, and the engine would expire each one at once.)
   */
  static List<byte[]> untimedFrames(int eventsPerMessage) {
    Random random = new Random(42);
    List<byte[]> frames = new ArrayList<>(SampleEvents.HOSTS);
    for (int host = 0; host < SampleEvents.HOSTS; host++) {
      RiemannProto.Msg.Builder msg = RiemannProto.Msg.newBuilder();
      for (int i = 0; i < eventsPerMessage; i++) {
        msg.addEvents(
            RiemannCodec.toProto(
                SampleEvents.event(host, i, random.nextDouble() * 100).toBuilder()
                    .timeMicros(null)
                    .build()));
      }
      byte[] body = msg.build().toByteArray();
      frames.add(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
    }
    return frames;
  }

  void start() {
    for (Connection c : connections) {
      c.writer.start();
      c.reader.start();
    }
  }

  /** Turns the latency histogram on or off (the measured window). */
  void measuring(boolean on) {
    measuring = on;
  }

  long ackedEvents() {
    return connections.stream().mapToLong(c -> c.acked.get()).sum() * eventsPerMessage;
  }

  /** The first error of any connection, or null. */
  Throwable failure() {
    return failure.get();
  }

  /** Stops sending, waits for the replies to what was sent, and closes the connections. */
  Result stop() throws InterruptedException {
    running = false;
    long sent = 0;
    long acked = 0;
    long dropped = 0;
    long failed = 0;
    String firstError = null;
    Histogram latency = new Histogram(3);
    for (Connection c : connections) {
      c.writer.interrupt();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Connection c : connections) {
      c.writer.join(timeout.toMillis());
      // The replies to what was sent, then close: that ends the reader's read.
      while (c.acked.get() < c.sent.get() && System.nanoTime() < deadline && c.reader.isAlive()) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      c.client.close();
      c.reader.join(timeout.toMillis());
      sent += c.sent.get();
      acked += c.acked.get();
      dropped += c.dropped;
      failed += c.failedReplies;
      firstError = firstError != null ? firstError : c.firstError;
      latency.add(c.latency);
    }
    return new Result(sent, acked, dropped, failed, firstError, latency);
  }

  /** One connection: a paced writer and a reader of the in-order replies. */
  private final class Connection {
    final RiemannTcpClient client;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final Histogram latency = new Histogram(3);
    final Thread writer;
    final Thread reader;
    // Written by the writer before a send; read by the reader after the reply (slot = seq %
    // window).
    final AtomicLongArray sentNanos = new AtomicLongArray(window);
    final Semaphore outstanding = new Semaphore(window);
    long dropped;
    long failedReplies;
    String firstError;

    Connection(int id, long startNanos, int hostOffset) throws IOException {
      this.client = new RiemannTcpClient(host, port, timeout);
      Pacer pacer = new Pacer(startNanos, periodNanos, TimeUnit.SECONDS.toNanos(1));
      this.writer =
          new Thread(
              () -> {
                try {
                  long seq = 0;
                  while (running) {
                    long now = System.nanoTime();
                    long due = pacer.due(now);
                    if (due > now) {
                      LockSupport.parkNanos(due - now);
                      continue;
                    }
                    if (!outstanding.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                      continue;
                    }
                    sentNanos.set((int) (seq % window), System.nanoTime());
                    // Counted before the write, so that the reader never sees a reply to a
                    // message not yet counted.
                    sent.set(seq + 1);
                    client.writeRaw(frames.get((int) ((hostOffset + seq) % frames.size())));
                    client.flush();
                    seq++;
                    pacer.sent();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                  if (running) {
                    failure.compareAndSet(null, e);
                  }
                } finally {
                  dropped = pacer.dropped();
                }
              },
              "paced-writer-" + id);
      this.reader =
          new Thread(
              () -> {
                try {
                  // Replies come in order, one per message sent; stop() closes the socket once
                  // every message sent is answered, which ends the read.
                  for (long seq = 0; ; seq++) {
                    RiemannProto.Msg reply = client.read();
                    long now = System.nanoTime();
                    if (measuring) {
                      latency.recordValue(now - sentNanos.get((int) (seq % window)));
                    }
                    if (!reply.getOk()) {
                      failedReplies++;
                      if (firstError == null) {
                        firstError = reply.getError();
                      }
                    }
                    acked.set(seq + 1);
                    outstanding.release();
                  }
                } catch (IOException | RuntimeException e) {
                  if (running) {
                    failure.compareAndSet(null, e);
                  }
                }
              },
              "paced-reader-" + id);
    }
  }
}
