package dev.sixfinger.benchmarks.ingest;

import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.riemann.RiemannProto;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Drives the gateway over Riemann TCP: several connections, each with a writer that pipelines
 * pre-encoded messages (at most {@code window} unanswered at a time) and a reader that takes the
 * replies, which come back in order, and times each message from send to {@code ok}.
 */
final class GatewayLoad {

  /**
   * What one run measured.
   *
   * @param latencyNanos send-to-reply time per message
   * @param cpuNanos CPU time this JVM used meanwhile: gateway, broker and load clients
   */
  record Result(
      long events,
      long messages,
      long nanos,
      long failedReplies,
      String firstError,
      Histogram latencyNanos,
      long cpuNanos) {
    double eventsPerSecond() {
      return events * 1e9 / nanos;
    }
  }

  private final String host;
  private final int port;
  private final List<byte[]> frames;
  private final int eventsPerMessage;
  private final int connections;
  private final int window;
  private final Duration timeout;

  GatewayLoad(
      String host,
      int port,
      List<byte[]> frames,
      int eventsPerMessage,
      int connections,
      int window,
      Duration timeout) {
    this.host = host;
    this.port = port;
    this.frames = frames;
    this.eventsPerMessage = eventsPerMessage;
    this.connections = connections;
    this.window = window;
    this.timeout = timeout;
  }

  /** Sends {@code messages} messages spread over the connections; returns once all are answered. */
  Result run(String label, long messages) throws IOException, InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Connection> conns = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        long share = messages / connections + (i < messages % connections ? 1 : 0);
        conns.add(new Connection(i, share, go, failure));
      }
      ScheduledExecutorService progress = progressReporter(label, conns);
      long cpuStart = CpuTime.thisProcess();
      long start = System.nanoTime();
      go.countDown();
      long deadline = start + timeout.toNanos();
      try {
        for (Connection c : conns) {
          c.join(deadline);
        }
      } finally {
        progress.shutdownNow();
      }
      long cpu = CpuTime.thisProcess() - cpuStart;
      if (failure.get() != null) {
        throw new IllegalStateException(
            label + ": a connection failed: " + failure.get(), failure.get());
      }
      long end = 0;
      long failed = 0;
      String firstError = null;
      Histogram latency = new Histogram(3);
      for (Connection c : conns) {
        end = Math.max(end, c.lastReplyNanos);
        failed += c.failedReplies;
        firstError = firstError != null ? firstError : c.firstError;
        latency.add(c.latency);
      }
      return new Result(
          messages * eventsPerMessage, messages, end - start, failed, firstError, latency, cpu);
    } finally {
      for (Connection c : conns) {
        c.close();
      }
    }
  }

  /** Prints acknowledged events every five seconds, since a run takes a while. */
  private ScheduledExecutorService progressReporter(String label, List<Connection> conns) {
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-progress");
              t.setDaemon(true);
              return t;
            });
    long total = conns.stream().mapToLong(c -> c.messages).sum() * eventsPerMessage;
    long[] last = {0, System.nanoTime()};
    // Stopped by shutdownNow() at the end of the run.
    var unused =
        progress.scheduleAtFixedRate(
            () -> {
              long acked = conns.stream().mapToLong(c -> c.acked.get()).sum() * eventsPerMessage;
              long now = System.nanoTime();
              double rate = (acked - last[0]) * 1e9 / (now - last[1]);
              last[0] = acked;
              last[1] = now;
              System.out.printf(
                  Locale.US,
                  "  [%s] %,d of %,d events acknowledged, %,.0f events/s%n",
                  label,
                  acked,
                  total,
                  rate);
            },
            5,
            5,
            TimeUnit.SECONDS);
    return progress;
  }

  /** One TCP connection with its writer and reader thread. */
  private final class Connection {
    final long messages;
    final AtomicLong acked = new AtomicLong();
    final Histogram latency = new Histogram(3);
    long failedReplies;
    String firstError;
    long lastReplyNanos;

    private final RiemannTcpClient client;
    private final Semaphore outstanding = new Semaphore(window);
    // Written by the writer, read by the reader once the reply is in.
    private final AtomicLongArray sentNanos;
    private final Thread writer;
    private final Thread reader;

    Connection(int id, long messages, CountDownLatch go, AtomicReference<Throwable> failure)
        throws IOException {
      this.messages = messages;
      this.client = new RiemannTcpClient(host, port, timeout);
      this.sentNanos = new AtomicLongArray((int) messages);
      // Each connection starts at another host, so they do not all write the same keys at once.
      int offset = id * frames.size() / connections;
      this.writer =
          new Thread(
              guarded(
                  failure,
                  this::close,
                  () -> {
                    go.await();
                    for (int i = 0; i < messages; i++) {
                      outstanding.acquire();
                      sentNanos.set(i, System.nanoTime());
                      client.writeRaw(frames.get((offset + i) % frames.size()));
                      client.flush();
                    }
                  }),
              "load-writer-" + id);
      this.reader =
          new Thread(
              guarded(
                  failure,
                  this::close,
                  () -> {
                    for (int i = 0; i < messages; i++) {
                      RiemannProto.Msg reply = client.read();
                      long now = System.nanoTime();
                      latency.recordValue(now - sentNanos.get(i));
                      lastReplyNanos = now;
                      if (!reply.getOk()) {
                        failedReplies++;
                        if (firstError == null) {
                          firstError = reply.getError();
                        }
                      }
                      acked.incrementAndGet();
                      outstanding.release();
                    }
                  }),
              "load-reader-" + id);
      writer.start();
      reader.start();
    }

    /** Waits for both threads (join makes their plain fields visible here). */
    void join(long deadlineNanos) throws InterruptedException {
      for (Thread t : List.of(writer, reader)) {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        if (t.isAlive()) {
          throw new IllegalStateException(
              t.getName() + " did not finish within " + timeout.toSeconds() + " s");
        }
      }
    }

    void close() {
      writer.interrupt();
      client.close();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  /**
   * Records the first failure of any thread, then runs {@code onFailure}, which closes the
   * connection so that its other thread stops too instead of waiting for the timeout.
   */
  private static Runnable guarded(
      AtomicReference<Throwable> failure, Runnable onFailure, Body body) {
    return () -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        failure.compareAndSet(null, e);
        onFailure.run();
      }
    };
  }
}
