package dev.sixfinger.rules.index;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live query on an {@link Index}, from {@link Index#subscribe}. Close it to stop receiving
 * changes.
 *
 * <p>The index's writer only {@linkplain #offer offers} changes to a bounded queue and never waits
 * for the subscriber: the subscriber's code runs on the index's delivery executor, one change at a
 * time and in order. When the queue is full the subscription closes itself, with a reason, rather
 * than slow the writer down or grow without bound.
 */
public final class Subscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

  /** The reason given when the subscriber itself closes the subscription. */
  public static final String CLOSED_BY_SUBSCRIBER = "closed by the subscriber";

  private final Query query;
  private final Consumer<Change> changes;
  private final Consumer<String> onClose;
  private final Executor executor;
  private final Consumer<Subscription> unregister;
  private final int capacity;
  private final ArrayBlockingQueue<Change> queue;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicReference<String> closeReason = new AtomicReference<>();

  // Touched only inside drain(), which never runs twice at once (the scheduled flag).
  private List<Event> initial;
  private boolean closeDelivered;

  Subscription(
      Query query,
      List<Event> initial,
      int capacity,
      Consumer<Change> changes,
      Consumer<String> onClose,
      Executor executor,
      Consumer<Subscription> unregister) {
    this.query = query;
    this.initial = initial;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.changes = changes;
    this.onClose = onClose;
    this.executor = executor;
    this.unregister = unregister;
  }

  public Query query() {
    return query;
  }

  public boolean isOpen() {
    return closeReason.get() == null;
  }

  /** Why the subscription closed; empty while it is open. */
  public Optional<String> closeReason() {
    return Optional.ofNullable(closeReason.get());
  }

  /** Stops the changes; the close callback then runs once, with {@link #CLOSED_BY_SUBSCRIBER}. */
  @Override
  public void close() {
    close(CLOSED_BY_SUBSCRIBER);
  }

  /** Closes with a reason; only the first reason counts. */
  void close(String reason) {
    if (closeReason.compareAndSet(null, reason)) {
      unregister.accept(this);
      schedule();
    }
  }

  /** Starts delivering the initial entries. */
  void start() {
    schedule();
  }

  /** Called by the index's writer: never blocks. */
  void offer(Change change) {
    if (!isOpen()) {
      return;
    }
    if (!queue.offer(change)) {
      close(
          "too slow: "
              + capacity
              + " changes waiting, the limit of the subscriber queue; subscribe again to resync");
      return;
    }
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The executor is shut down: nothing can be delivered any more, not even the close.
        scheduled.set(false);
        if (closeReason.compareAndSet(null, "the index is closed")) {
          unregister.accept(this);
        }
      }
    }
  }

  private void drain() {
    while (true) {
      deliver();
      scheduled.set(false);
      // Anything offered after deliver() looked, and before the flag was cleared, is ours.
      if (!hasWork() || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private boolean hasWork() {
    return !closeDelivered && (!queue.isEmpty() || !isOpen());
  }

  private void deliver() {
    if (closeDelivered) {
      return;
    }
    try {
      if (initial != null) {
        List<Event> entries = initial;
        initial = null;
        for (Event e : entries) {
          if (!isOpen()) {
            break;
          }
          changes.accept(new Change(Change.Kind.UPDATE, e));
        }
      }
      Change change;
      while (isOpen() && (change = queue.poll()) != null) {
        changes.accept(change);
      }
    } catch (RuntimeException e) {
      close("the subscriber failed: " + e);
    }
    String reason = closeReason.get();
    if (reason != null) {
      closeDelivered = true;
      queue.clear();
      try {
        onClose.accept(reason);
      } catch (RuntimeException e) {
        LOG.warn("Close callback of the subscription to '{}' failed", query, e);
      }
    }
  }
}
