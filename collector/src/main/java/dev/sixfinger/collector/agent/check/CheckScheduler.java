package dev.sixfinger.collector.agent.check;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each check every period on its own schedule and hands the resulting events to a consumer.
 *
 * <p>Each check starts after a random delay of up to {@code min(period, maxJitter)}, so that a
 * fleet started together does not run its checks in lockstep. A check never overlaps itself: when
 * its previous run (including emitting its events) is still going when the next is due, that next
 * run is skipped and counted. Runs share a bounded pool of threads; a run waiting for a thread
 * counts as going.
 */
public final class CheckScheduler implements AutoCloseable {
  public static final Duration DEFAULT_MAX_JITTER = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(CheckScheduler.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /**
   * Counters of one check, for the agent's self-report.
   *
   * @param name the check's name
   * @param runs completed runs, whatever their outcome
   * @param skipped runs skipped because the previous one was still going
   * @param timeouts runs killed at their timeout
   * @param failedToStart runs whose command could not start
   * @param lastDuration how long the last run took, zero before the first
   * @param maxDuration the longest run so far
   * @param totalDuration all runs together (divide by {@code runs} for the mean)
   */
  public record CheckStats(
      String name,
      long runs,
      long skipped,
      long timeouts,
      long failedToStart,
      Duration lastDuration,
      Duration maxDuration,
      Duration totalDuration) {}

  private final List<Scheduled> checks = new ArrayList<>();
  private final Consumer<Event> sink;
  private final Clock clock;
  private final CheckRunner runner;
  private final Duration maxJitter;
  private final ScheduledExecutorService ticker;
  private final ExecutorService workers;
  private boolean started;

  /**
   * @param checks the checks; names must be unique
   * @param sink receives every event; it is called from the check threads
   * @param clock gives the events' time
   * @param maxConcurrent how many checks may run at the same time
   */
  public CheckScheduler(
      List<CheckDefinition> checks, Consumer<Event> sink, Clock clock, int maxConcurrent) {
    this(checks, sink, clock, maxConcurrent, DEFAULT_MAX_JITTER, new CheckRunner());
  }

  public CheckScheduler(
      List<CheckDefinition> checks,
      Consumer<Event> sink,
      Clock clock,
      int maxConcurrent,
      Duration maxJitter,
      CheckRunner runner) {
    if (maxConcurrent <= 0) {
      throw new IllegalArgumentException("maxConcurrent must be positive, was " + maxConcurrent);
    }
    if (maxJitter.isNegative()) {
      throw new IllegalArgumentException("maxJitter must not be negative, was " + maxJitter);
    }
    Set<String> names = new HashSet<>();
    for (CheckDefinition check : checks) {
      if (!names.add(check.name())) {
        throw new IllegalArgumentException("check '" + check.name() + "' is defined twice");
      }
      this.checks.add(new Scheduled(check));
    }
    this.sink = sink;
    this.clock = clock;
    this.runner = runner;
    this.maxJitter = maxJitter;
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("check-ticker"));
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(maxConcurrent, checks.size())), daemonThreads("check-run"));
  }

  /** Starts the schedules; call once. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    for (Scheduled s : checks) {
      long period = s.check.period().toNanos();
      long jitterBound = Math.min(period, maxJitter.toNanos());
      long delay = jitterBound == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterBound);
      var unused = ticker.scheduleAtFixedRate(() -> tick(s), delay, period, TimeUnit.NANOSECONDS);
    }
  }

  /** One entry per check, in configuration order. */
  public List<CheckStats> stats() {
    List<CheckStats> stats = new ArrayList<>(checks.size());
    for (Scheduled s : checks) {
      stats.add(s.stats());
    }
    return stats;
  }

  /** Stops the schedules and kills the checks still running (they emit nothing). */
  @Override
  public void close() {
    ticker.shutdownNow();
    workers.shutdownNow(); // interrupts the runs; the runner kills their process trees
    try {
      if (!workers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("check threads still busy {} after close", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tick(Scheduled s) {
    if (!s.running.compareAndSet(false, true)) {
      s.skipped();
      return;
    }
    try {
      workers.execute(() -> runOnce(s));
    } catch (RejectedExecutionException closing) {
      s.running.set(false);
    }
  }

  private void runOnce(Scheduled s) {
    try {
      CheckRun run = runner.run(s.check);
      s.record(run);
      for (Event event : CheckEvents.toEvents(s.check, run, clock.nowMicros())) {
        sink.accept(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } catch (RuntimeException e) {
      // a failing sink must not stop this check's schedule
      log.warn("check '{}': could not emit its events", s.check.name(), e);
    } finally {
      s.running.set(false);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A check with its run flag and counters. */
  private static final class Scheduled {
    final CheckDefinition check;
    final AtomicBoolean running = new AtomicBoolean();
    private long runs;
    private long skipped;
    private long timeouts;
    private long failedToStart;
    private Duration last = Duration.ZERO;
    private Duration max = Duration.ZERO;
    private Duration total = Duration.ZERO;

    Scheduled(CheckDefinition check) {
      this.check = check;
    }

    synchronized void skipped() {
      skipped++;
    }

    synchronized void record(CheckRun run) {
      runs++;
      timeouts += run.timedOut() ? 1 : 0;
      failedToStart += run.startError() != null ? 1 : 0;
      last = run.duration();
      max = last.compareTo(max) > 0 ? last : max;
      total = total.plus(last);
    }

    synchronized CheckStats stats() {
      return new CheckStats(check.name(), runs, skipped, timeouts, failedToStart, last, max, total);
    }
  }
}
