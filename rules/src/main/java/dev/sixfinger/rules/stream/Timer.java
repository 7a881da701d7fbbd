package dev.sixfinger.rules.stream;

/** A task scheduled on a {@link StreamContext}; runs at most once. */
public final class Timer {
  final long atMicros;
  // Order among timers due at the same instant; kept across a snapshot and restore.
  final long seq;
  // Unique, so that two timers never compare equal in the queue.
  final long id;
  final Runnable task;
  final StreamContext owner;
  boolean done;

  Timer(long atMicros, long seq, long id, Runnable task, StreamContext owner) {
    this.atMicros = atMicros;
    this.seq = seq;
    this.id = id;
    this.task = task;
    this.owner = owner;
  }

  /** When the timer is due, in microseconds. */
  public long atMicros() {
    return atMicros;
  }

  /** True until the timer has run or been cancelled. */
  public boolean isPending() {
    return !done;
  }

  /** Cancels the timer; does nothing if it has run or was cancelled already. */
  public void cancel() {
    if (!done) {
      done = true;
      owner.forget(this);
    }
  }
}
