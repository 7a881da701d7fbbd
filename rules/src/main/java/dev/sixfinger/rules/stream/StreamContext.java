package dev.sixfinger.rules.stream;

import dev.sixfinger.core.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time of a stream tree and its timers. Nothing here starts a thread: the engine calls {@link
 * #advanceTo(long)} (from its clock, or from event time when replaying) and due timers run on the
 * calling thread, each seeing {@link #nowMicros()} equal to its own due time. Under a manual clock
 * a test therefore gets exactly the same flushes, throttle windows and expiries on every run.
 *
 * <p>Time never goes back: advancing to an earlier time runs nothing and leaves the time as it was.
 * Timers due at the same instant run in the order they were scheduled.
 *
 * <p>A context can open {@link #child() child scopes} sharing its time and queue; closing a scope
 * cancels every timer scheduled through it and through its descendants. {@code by} gives each fork
 * a scope, so that freeing a fork also frees everything its timers refer to.
 */
public final class StreamContext {
  private static final Logger LOG = LoggerFactory.getLogger(StreamContext.class);

  private static final class Queue {
    final TreeSet<Timer> pending =
        new TreeSet<>(
            Comparator.<Timer>comparingLong(t -> t.atMicros)
                .thenComparingLong(t -> t.seq)
                .thenComparingLong(t -> t.id));
    long now;
    long nextSeq;
    long nextId;
    boolean advancing;

    Queue(long now) {
      this.now = now;
    }
  }

  private final Queue queue;
  private final StreamContext parent;
  private final Set<Timer> timers = new HashSet<>();
  private final Set<StreamContext> children = new HashSet<>();
  private boolean closed;

  /** A root context whose time starts at {@code startMicros}. */
  public StreamContext(long startMicros) {
    this.queue = new Queue(startMicros);
    this.parent = null;
  }

  private StreamContext(StreamContext parent) {
    this.queue = parent.queue;
    this.parent = parent;
    this.closed = parent.closed;
  }

  /** A root context starting at the clock's current time. */
  public static StreamContext startingAt(Clock clock) {
    return new StreamContext(clock.nowMicros());
  }

  /** The current time in microseconds since the epoch. */
  public long nowMicros() {
    return queue.now;
  }

  /**
   * Schedules {@code task} to run when time reaches {@code atMicros} (at the next {@link
   * #advanceTo} if that is already past). On a closed scope, returns a timer that never runs.
   */
  public Timer schedule(long atMicros, Runnable task) {
    return add(atMicros, queue.nextSeq++, task);
  }

  private Timer add(long atMicros, long seq, Runnable task) {
    Timer timer = new Timer(atMicros, seq, queue.nextId++, task, this);
    if (closed) {
      timer.done = true;
      return timer;
    }
    timers.add(timer);
    queue.pending.add(timer);
    return timer;
  }

  /**
   * Moves time forward to {@code nowMicros}, running every timer due by then in time order. A
   * timer's task that throws is logged and does not stop the others.
   *
   * @throws IllegalStateException if called from a timer's task
   */
  public void advanceTo(long nowMicros) {
    if (queue.advancing) {
      throw new IllegalStateException("advanceTo called from inside a timer task");
    }
    queue.advancing = true;
    try {
      while (!queue.pending.isEmpty() && queue.pending.first().atMicros <= nowMicros) {
        Timer timer = queue.pending.pollFirst();
        timer.done = true;
        timer.owner.timers.remove(timer);
        if (timer.atMicros > queue.now) {
          queue.now = timer.atMicros;
        }
        try {
          timer.task.run();
        } catch (RuntimeException e) {
          LOG.warn("stream timer task failed at {} µs; continuing", timer.atMicros, e);
        }
      }
      if (nowMicros > queue.now) {
        queue.now = nowMicros;
      }
    } finally {
      queue.advancing = false;
    }
  }

  /** A new scope sharing this context's time and queue, closed when this one is. */
  public StreamContext child() {
    StreamContext child = new StreamContext(this);
    if (!closed) {
      children.add(child);
    }
    return child;
  }

  /** Cancels every timer of this scope and of its descendants; later schedules never run. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Timer timer : new ArrayList<>(timers)) {
      timer.cancel();
    }
    for (StreamContext child : new ArrayList<>(children)) {
      child.close();
    }
    if (parent != null) {
      parent.children.remove(this);
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Timers waiting to run, across the whole tree of scopes. */
  public int pendingTimers() {
    return queue.pending.size();
  }

  /**
   * A pending timer as snapshot state: {@code [atMicros, order]}, or null for none (or for a timer
   * that has run or was cancelled). The order lets {@link #restoreTimer} put timers due at the same
   * instant back in their original order. Public so that stages built outside this package (the
   * rule compiler's) can snapshot their timers like the library's own.
   */
  public static Object timerState(Timer timer) {
    return timer == null || timer.done ? null : List.of(timer.atMicros, timer.seq);
  }

  /**
   * Schedules {@code task} on this scope from a {@link #timerState} (read back from JSON too: any
   * {@link Number} will do); returns null for a null state.
   *
   * @throws IllegalArgumentException if the state is not {@code [atMicros, order]}
   */
  public Timer restoreTimer(Object state, Runnable task) {
    if (state == null) {
      return null;
    }
    if (!(state instanceof List<?> l)
        || l.size() != 2
        || !(l.get(0) instanceof Number at)
        || !(l.get(1) instanceof Number seq)) {
      throw new IllegalArgumentException("timer state must be [atMicros, order]: " + state);
    }
    // Timers scheduled from now on must come after every restored one due at the same instant.
    queue.nextSeq = Math.max(queue.nextSeq, seq.longValue() + 1);
    return add(at.longValue(), seq.longValue(), task);
  }

  /** Open child scopes of this context (not counting their descendants). */
  int openChildren() {
    return children.size();
  }

  void forget(Timer timer) {
    timers.remove(timer);
    queue.pending.remove(timer);
  }
}
