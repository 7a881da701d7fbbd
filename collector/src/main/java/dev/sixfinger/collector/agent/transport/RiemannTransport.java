package dev.sixfinger.collector.agent.transport;

import dev.sixfinger.collector.agent.transport.TransportSettings.Endpoint;
import dev.sixfinger.collector.transport.RiemannTcpClient;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the agent's events to the ingest servers over Riemann TCP, losing none.
 *
 * <p>{@link #submit} appends to the on-disk {@link Spool} and returns; nothing else is on the
 * caller's path. One sender thread takes batches from the head of the spool (up to {@code
 * batchSize} events, or fewer once the first of them has waited {@code batchDelay}), sends each as
 * one {@code Msg} and waits for the reply. Only {@code ok=true} removes the batch from the spool.
 * On {@code ok=false}, a timeout or a connection error the same batch is sent again to the next
 * endpoint; after every full round of endpoints that failed it waits with exponential backoff and
 * full jitter. A batch is never skipped, so events arrive in the order they were submitted.
 *
 * <p>Delivery is at least once. A clean restart (close, open again on the same spool) sends nothing
 * twice; but if the agent dies, or a reply times out, after the server stored a batch and before
 * the acknowledgement reached the spool, that batch is sent again. Before each retry the batch is
 * read again from the spool, so events the spool dropped at its limit meanwhile are not sent late.
 */
public final class RiemannTransport implements Consumer<Event>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RiemannTransport.class);

  /** Bytes of events per message, well under the ingest gateway's default 16 MiB frame limit. */
  static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

  /** How the sender waits between retries; tests record the delays instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * What the transport has done since it started, for the agent's report on itself.
   *
   * @param sentEvents events acknowledged by a server
   * @param sentBatches messages acknowledged by a server
   * @param sendErrors refused messages, timeouts and connection errors
   * @param reconnects connections opened after the first
   * @param spoolDepth events waiting in the spool
   * @param spoolBytes bytes of the spool files
   * @param dropped events lost: the oldest, dropped at the spool limit, and any the spool refused
   *     (too large, or the disk failed). An event dropped while its batch was on the wire may still
   *     have arrived; it is counted all the same.
   */
  public record Stats(
      long sentEvents,
      long sentBatches,
      long sendErrors,
      long reconnects,
      long spoolDepth,
      long spoolBytes,
      long dropped) {}

  private final TransportSettings settings;
  private final Spool spool;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Thread sender;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition submitted = lock.newCondition();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean closed;

  /** When the oldest event not yet taken into a batch was submitted; -1 when there is none. */
  private long pendingSinceNanos = -1;

  /** Sender thread only, except that close() closes it to end a blocked connect or read. */
  /** Replies are ok or an error: small. */
  private static final int MAX_REPLY_BYTES = 1024 * 1024;

  private volatile RiemannTcpClient connection;

  private int endpointIndex;
  private boolean connectedBefore;
  private boolean failing;

  private final LongAdder sentEvents = new LongAdder();
  private final LongAdder sentBatches = new LongAdder();
  private final LongAdder sendErrors = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder refused = new LongAdder();

  /**
   * Opens the spool (resending what an earlier run left unacknowledged) and starts sending.
   *
   * @throws IOException if the spool directory cannot be used
   */
  public RiemannTransport(TransportSettings settings) throws IOException {
    this(settings, null, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param sleeper waits between retries, or null to sleep for real (cut short by close)
   * @param random the jitter source, uniform in [0, 1]
   */
  RiemannTransport(TransportSettings settings, Sleeper sleeper, DoubleSupplier random)
      throws IOException {
    this.settings = settings;
    this.spool = Spool.open(settings.spoolDir(), settings.spoolMaxBytes());
    this.backoff = new Backoff(settings.backoffMin(), settings.backoffMax(), random);
    this.sleeper = sleeper != null ? sleeper : this::sleepUnlessClosed;
    if (spool.depth() > 0) {
      LOG.info("{} events left by the last run wait in the spool", spool.depth());
    }
    this.sender = new Thread(this::run, "sixfinger-transport");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public void accept(Event event) {
    submit(List.of(event));
  }

  public void submit(Event event) {
    submit(List.of(event));
  }

  /**
   * Spools events for sending and returns. Never throws for the disk: an event the spool cannot
   * take is logged and counted in {@link Stats#dropped()}.
   *
   * @throws IllegalStateException if the transport is closed
   */
  public void submit(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the transport is closed; events can no longer be sent");
      }
      if (!append(events)) {
        return;
      }
      if (pendingSinceNanos < 0) {
        pendingSinceNanos = System.nanoTime();
      }
      submitted.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Appends, refusing only what cannot be spooled. Returns whether anything was appended. */
  private boolean append(List<Event> events) {
    try {
      spool.append(events);
      return true;
    } catch (IllegalArgumentException tooLarge) {
      // One event too large for a segment: spool the others.
      boolean any = false;
      for (Event e : events) {
        try {
          spool.append(List.of(e));
          any = true;
        } catch (IllegalArgumentException | IOException ex) {
          refused.increment();
          LOG.warn("event not spooled, dropped: {}", ex.getMessage());
        }
      }
      return any;
    } catch (IOException e) {
      refused.add(events.size());
      LOG.error(
          "could not write {} events to the spool in {}, dropped them: {}",
          events.size(),
          settings.spoolDir(),
          e.toString());
      return false;
    }
  }

  public Stats stats() {
    return new Stats(
        sentEvents.sum(),
        sentBatches.sum(),
        sendErrors.sum(),
        reconnects.sum(),
        spool.depth(),
        spool.bytes(),
        spool.droppedOldest() + refused.sum());
  }

  private void run() {
    try {
      while (!closed) {
        Spool.Batch batch;
        try {
          batch = nextBatch();
        } catch (IOException e) {
          LOG.error("cannot read the spool in {}: {}", settings.spoolDir(), e.toString());
          sleeper.sleep(settings.backoffMax());
          continue;
        }
        if (batch == null) {
          return;
        }
        sendUntilAcknowledged(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("the transport stopped sending after an unexpected error", e);
      }
    } finally {
      dropConnection();
    }
  }

  /**
   * Waits until a batch is due: a full one, or the first event has waited {@code batchDelay}.
   * Returns null when the transport closes.
   */
  private Spool.Batch nextBatch() throws IOException, InterruptedException {
    long delayNanos = settings.batchDelay().toNanos();
    lock.lock();
    try {
      while (!closed) {
        long depth = spool.depth();
        if (depth == 0) {
          submitted.await();
          continue;
        }
        // No start time means a backlog (left by a batch or by the last run): send it now.
        long waited = pendingSinceNanos < 0 ? delayNanos : System.nanoTime() - pendingSinceNanos;
        if (depth >= settings.batchSize() || waited >= delayNanos) {
          Spool.Batch batch = spool.peek(settings.batchSize(), MAX_BATCH_BYTES);
          if (batch.size() >= depth) {
            pendingSinceNanos = -1; // all taken: the next submit starts a new wait
          }
          return batch;
        }
        submitted.awaitNanos(delayNanos - waited);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Sends the batch at the head of the spool until a server stores it, or the transport closes. */
  private void sendUntilAcknowledged(Spool.Batch first) throws InterruptedException {
    List<Endpoint> endpoints = settings.endpoints();
    Spool.Batch batch = first;
    int failures = 0;
    while (!closed) {
      Endpoint endpoint = endpoints.get(endpointIndex);
      String error;
      try {
        if (failures > 0) {
          // While we waited the spool may have dropped these events to stay under its limit:
          // read the head again so that dropped events are not sent after all.
          batch = spool.peek(batch.size(), MAX_BATCH_BYTES);
          if (batch.isEmpty()) {
            return;
          }
        }
        RiemannProto.Msg reply = connection(endpoint).call(message(batch));
        if (reply.getOk()) {
          spool.ack(batch);
          sentEvents.add(batch.size());
          sentBatches.increment();
          if (failing) {
            failing = false;
            LOG.info("sending again, to {}", endpoint);
          }
          return;
        }
        error = "refused the batch: " + (reply.hasError() ? reply.getError() : "no reason given");
      } catch (IOException e) {
        if (closed) {
          return;
        }
        error = e.toString();
      }
      sendErrors.increment();
      if (!failing) {
        failing = true;
        LOG.warn("{}: {}; events wait in the spool and are retried", endpoint, error);
      } else {
        LOG.debug("{}: {}", endpoint, error);
      }
      dropConnection();
      endpointIndex = (endpointIndex + 1) % endpoints.size();
      failures++;
      if (failures % endpoints.size() == 0) {
        // Every endpoint failed once more: wait before the next round.
        sleeper.sleep(backoff.delay(failures / endpoints.size() - 1));
      }
    }
  }

  private static RiemannProto.Msg message(Spool.Batch batch) {
    RiemannProto.Msg.Builder msg = RiemannProto.Msg.newBuilder();
    for (Event e : batch.events()) {
      msg.addEvents(RiemannCodec.toProto(e));
    }
    return msg.build();
  }

  private RiemannTcpClient connection(Endpoint endpoint) throws IOException {
    RiemannTcpClient c = connection;
    if (c != null) {
      return c;
    }
    c = new RiemannTcpClient(MAX_REPLY_BYTES);
    connection = c;
    if (closed) {
      // close() may have looked before we set the field; it set closed first, so we see it here.
      throw new IOException("transport closed");
    }
    c.connect(endpoint.host(), endpoint.port(), settings.connectTimeout(), settings.replyTimeout());
    if (connectedBefore) {
      reconnects.increment();
    }
    connectedBefore = true;
    return c;
  }

  private void dropConnection() {
    RiemannTcpClient c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  private void sleepUnlessClosed(Duration duration) throws InterruptedException {
    if (closing.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
      LOG.debug("retry wait cut short by close");
    }
  }

  /**
   * Stops sending and closes the spool. Events not yet acknowledged stay in the spool and are sent
   * by the next transport opened on it.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      submitted.signalAll();
    } finally {
      lock.unlock();
    }
    closing.countDown();
    RiemannTcpClient c = connection;
    if (c != null) {
      c.close(); // ends a connect or a wait for a reply at once
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spool.close();
  }
}
