package dev.sixfinger.server.scheduler;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.health.GuardRailAlert;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostHealth;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import dev.sixfinger.scheduler.state.SchedulerState;
import io.dropwizard.lifecycle.Managed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler in the server. One thread owns the {@link Scheduler} (the single writer): HTTP
 * calls, health records, capacity updates and the periodic cycle are queued to it, and for each it
 * runs the command, appends the events to {@code sixfinger.scheduler} partition 0 with an
 * idempotent {@code acks=all} producer, waits for the acknowledgement, and only then applies them
 * and answers. Queries run on the same thread, so they see a consistent state.
 *
 * <p>When Kafka does not acknowledge, nothing is applied; the state is re-read from the log (some
 * of the events may have been stored) before the next command, so memory never differs from the
 * log. Guard-rail trips are also published to {@code sixfinger.alerts}.
 */
public final class SchedulerService implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);
  static final String GUARD_RAIL_RULE = "scheduler-guard-rail";

  private final SchedulerFactory factory;
  private final SchedulerConfig config;
  private final String bootstrapServers;
  private final Map<String, String> producerOverrides;
  private final Duration deliveryTimeout;
  private final Clock clock;
  private final BlockingQueue<Task<?>> queue;
  private final AtomicLong commands = new AtomicLong();
  private final AtomicLong eventsWritten = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicLong alertsWritten = new AtomicLong();
  private final AtomicLong snapshots = new AtomicLong();

  // Owned by the scheduler thread.
  private Scheduler scheduler;
  private KafkaProducer<byte[], byte[]> producer;
  private long nextOffset;
  private long snapshotOffset = -1;
  private boolean needsReload;

  private Thread worker;
  private SchedulerInputs inputs;
  private volatile boolean running;
  private volatile Stats stats = Stats.EMPTY;
  private volatile String problem;

  /** Counts for metrics and the health check, refreshed by the scheduler thread. */
  record Stats(
      int hosts,
      int waiting,
      int running,
      int completed,
      int cordoned,
      int draining,
      long lastCycleMillis) {
    static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0, 0);
  }

  private static final class Task<T> {
    final Function<Scheduler, T> body;
    final boolean writes;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Task(Function<Scheduler, T> body, boolean writes) {
      this.body = body;
      this.writes = writes;
    }
  }

  public SchedulerService(
      SchedulerFactory factory,
      String bootstrapServers,
      Map<String, String> producerOverrides,
      Duration deliveryTimeout,
      Clock clock) {
    this.factory = factory;
    this.config = factory.toConfig();
    this.bootstrapServers = bootstrapServers;
    this.producerOverrides = Map.copyOf(producerOverrides);
    this.deliveryTimeout = deliveryTimeout;
    this.clock = clock;
    this.queue = new LinkedBlockingQueue<>(factory.maxQueuedCommands());
  }

  public SchedulerConfig config() {
    return config;
  }

  @Override
  public void start() {
    producer = newProducer();
    reload(Duration.ofMinutes(5));
    running = true;
    worker = new Thread(this::loop, "scheduler");
    worker.setDaemon(true);
    worker.start();
    inputs = new SchedulerInputs(this, bootstrapServers, factory, clock);
    inputs.start();
  }

  @Override
  public void stop() throws InterruptedException {
    if (inputs != null) {
      inputs.stop();
    }
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(30_000);
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  // ---- the calls ---------------------------------------------------------------------------

  /**
   * Runs a read-only function on the scheduler thread.
   *
   * @throws SchedulerUnavailableException when the scheduler cannot answer within the timeout
   */
  public <T> T query(Function<Scheduler, T> f) {
    return call(new Task<>(f, false), factory.requestTimeout());
  }

  /**
   * Runs a command on the scheduler thread; its events are durable in Kafka and applied when this
   * returns them. Domain exceptions (invalid, duplicate, not found) are thrown as they are.
   *
   * @throws SchedulerUnavailableException when Kafka did not acknowledge or the scheduler is busy
   */
  public List<SchedulerEvent> command(Function<Scheduler, List<SchedulerEvent>> f) {
    return command(f, factory.requestTimeout());
  }

  List<SchedulerEvent> command(Function<Scheduler, List<SchedulerEvent>> f, Duration timeout) {
    return call(new Task<>(f, true), timeout);
  }

  private <T> T call(Task<T> task, Duration timeout) {
    if (!running) {
      throw new SchedulerUnavailableException("the scheduler is not running; retry later");
    }
    if (!queue.offer(task)) {
      throw new SchedulerUnavailableException(
          "the scheduler has "
              + queue.size()
              + " commands waiting (scheduler.maxQueuedCommands); retry later");
    }
    try {
      return task.result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      task.result.cancel(false);
      throw new SchedulerUnavailableException(
          "the scheduler did not answer within "
              + timeout.toSeconds()
              + " s (scheduler.requestTimeout); a command may still have taken effect: check with"
              + " GET before retrying (a resubmitted job uuid is answered 409 if it was stored)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchedulerUnavailableException("interrupted while waiting for the scheduler", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  // ---- the scheduler thread ----------------------------------------------------------------

  private void loop() {
    long cycleMicros = factory.cycleInterval().toNanos() / 1000;
    long snapshotMicros = factory.snapshotInterval().toNanos() / 1000;
    long nextCycle = clock.nowMicros();
    long nextSnapshot = clock.nowMicros() + snapshotMicros;
    while (running) {
      long now = clock.nowMicros();
      if (now >= nextCycle) {
        nextCycle = now + cycleMicros;
        Task<List<SchedulerEvent>> cycle = new Task<>(s -> s.cycle(clock.nowMicros()), true);
        long t0 = System.nanoTime();
        run(cycle);
        if (cycle.result.isCompletedExceptionally()) {
          try {
            cycle.result.join();
          } catch (RuntimeException e) {
            LOG.warn("Scheduling cycle failed: {}", e.getMessage());
          }
        }
        Stats s = stats;
        stats =
            new Stats(
                s.hosts(),
                s.waiting(),
                s.running(),
                s.completed(),
                s.cordoned(),
                s.draining(),
                (System.nanoTime() - t0) / 1_000_000);
      }
      if (now >= nextSnapshot) {
        nextSnapshot = now + snapshotMicros;
        writeSnapshot();
      }
      Task<?> task;
      try {
        task = queue.poll(Math.max(1, nextCycle - clock.nowMicros()), TimeUnit.MICROSECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (task != null) {
        run(task);
      }
    }
    if (!needsReload) {
      writeSnapshot();
    }
    Task<?> left;
    while ((left = queue.poll()) != null) {
      left.result.completeExceptionally(
          new SchedulerUnavailableException("the scheduler is stopping; retry on another server"));
    }
  }

  @SuppressWarnings("unchecked")
  private <T> void run(Task<T> task) {
    if (task.result.isDone()) {
      return; // the caller gave up waiting
    }
    commands.incrementAndGet();
    if (needsReload) {
      try {
        reload(Duration.ofMillis(Math.max(30_000, 2 * deliveryTimeout.toMillis())));
      } catch (RuntimeException e) {
        problem = "cannot re-read the scheduler state from Kafka: " + e.getMessage();
        task.result.completeExceptionally(
            new SchedulerUnavailableException(
                "the scheduler is re-reading its state from Kafka, which does not answer ("
                    + e.getMessage()
                    + "); retry later",
                e));
        return;
      }
    }
    try {
      T out = task.body.apply(scheduler);
      if (task.writes) {
        List<SchedulerEvent> events = (List<SchedulerEvent>) out;
        write(events);
        scheduler.apply(events);
        refreshStats();
      }
      task.result.complete(out);
    } catch (RuntimeException e) {
      task.result.completeExceptionally(e);
    }
  }

  /** Appends the events and the alerts they raise; returns once Kafka acknowledged every one. */
  private void write(List<SchedulerEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<AlertRecord> alerts = alerts(events, scheduler.state(), clock.nowMicros());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    List<Future<RecordMetadata>> alertsSent = new ArrayList<>();
    long last = -1;
    try {
      for (SchedulerEvent e : events) {
        sent.add(producer.send(SchedulerLog.event(e)));
      }
      for (AlertRecord a : alerts) {
        alertsSent.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.ALERTS,
                    a.fingerprint().getBytes(StandardCharsets.UTF_8),
                    RecordJson.toBytes(a))));
      }
      long deadline = System.nanoTime() + deliveryTimeout.toNanos();
      for (Future<RecordMetadata> f : sent) {
        last = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).offset();
      }
      for (Future<RecordMetadata> f : alertsSent) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          alertsWritten.incrementAndGet();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // The events are durable; the alert is not: say so loudly rather than fail the command.
          LOG.error(
              "A scheduler guard-rail alert could not be written to {}: {}",
              Topics.ALERTS,
              e.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      failed(e);
    }
    nextOffset = last + 1;
    eventsWritten.addAndGet(events.size());
  }

  private void failed(Exception e) {
    writeFailures.incrementAndGet();
    needsReload = true;
    problem = "Kafka did not acknowledge scheduler events: " + e;
    LOG.warn("Kafka did not acknowledge scheduler events; re-reading the state from the log", e);
    throw new SchedulerUnavailableException(
        "Kafka did not acknowledge the change within "
            + deliveryTimeout.toSeconds()
            + " s ("
            + (e.getCause() == null ? e : e.getCause())
            + "); nothing was applied, but it may have been stored: check with GET before"
            + " retrying (a resubmitted job uuid is answered 409 if it was stored)",
        e);
  }

  /** Rebuilds the state from the latest snapshot and the events after it. */
  private void reload(Duration timeout) {
    if (needsReload && producer != null) {
      // A producer that failed may hold unsent records; a new one starts clean.
      producer.close(Duration.ZERO);
      producer = newProducer();
    }
    long t0 = System.nanoTime();
    SchedulerLog.Loaded l = SchedulerLog.load(bootstrapServers, factory.group(), timeout);
    scheduler = new Scheduler(config, clock, l.state());
    nextOffset = l.nextOffset();
    snapshotOffset = l.snapshotOffset();
    needsReload = false;
    problem = null;
    refreshStats();
    LOG.info(
        "Scheduler state loaded in {} ms: {} jobs, {} hosts (snapshot at offset {}, {} events"
            + " replayed)",
        (System.nanoTime() - t0) / 1_000_000,
        l.state().jobs().size(),
        l.state().cluster().size(),
        l.snapshotOffset(),
        l.replayed());
  }

  private void writeSnapshot() {
    if (scheduler == null || needsReload || nextOffset == snapshotOffset) {
      return;
    }
    try {
      producer
          .send(
              SchedulerLog.snapshot(
                  factory.group(), scheduler.state(), nextOffset, clock.nowMicros()))
          .get(deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
      snapshotOffset = nextOffset;
      snapshots.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.warn(
          "The scheduler snapshot could not be written to {} ({}); a restart replays more of {}",
          Topics.SCHEDULER_STATE,
          e.toString(),
          Topics.SCHEDULER);
    }
  }

  private void refreshStats() {
    SchedulerState s = scheduler.state();
    int waiting = 0;
    int run = 0;
    for (JobStatus j : s.activeJobs()) {
      if (j.state() == JobState.RUNNING) {
        run++;
      } else {
        waiting++;
      }
    }
    int cordoned = 0;
    int draining = 0;
    for (HostHealth h : s.health().asMap().values()) {
      if (h.state() == HealthState.CORDONED) {
        cordoned++;
      } else if (h.state() == HealthState.DRAINING) {
        draining++;
      }
    }
    stats =
        new Stats(
            s.cluster().size(),
            waiting,
            run,
            s.jobs().size() - waiting - run,
            cordoned,
            draining,
            stats.lastCycleMillis());
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Map<String, Object> props = new HashMap<>(producerOverrides);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RULES_STATE_MAX_BYTES);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "sixfinger-scheduler-" + factory.group());
    int timeout = (int) Math.min(Integer.MAX_VALUE, deliveryTimeout.toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 30_000));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  // ---- guard-rail alerts -------------------------------------------------------------------

  /**
   * The alert transitions a command's events cause: a trip fires {@code scheduler-guard-rail} for
   * its host and kind; a release, or the host's state changing (the decision went through or went
   * away), resolves the alert the host had.
   */
  static List<AlertRecord> alerts(List<SchedulerEvent> events, SchedulerState state, long now) {
    Map<String, GuardRailAlert> current = new HashMap<>();
    List<AlertRecord> out = new ArrayList<>();
    for (SchedulerEvent e : events) {
      String host = e.key();
      if (!(e instanceof SchedulerEvent.GuardRailTripped
          || e instanceof SchedulerEvent.GuardRailReleased
          || e instanceof SchedulerEvent.HostHealthChanged)) {
        continue;
      }
      GuardRailAlert held =
          current.containsKey(host) ? current.get(host) : state.health().get(host).guardRail();
      if (e instanceof SchedulerEvent.GuardRailTripped t) {
        if (held != null && !held.kind().equals(t.alert().kind())) {
          out.add(alert(held, AlertRecord.Status.RESOLVED, now));
        }
        out.add(alert(t.alert(), AlertRecord.Status.FIRING, now));
        current.put(host, t.alert());
      } else {
        if (held != null) {
          out.add(alert(held, AlertRecord.Status.RESOLVED, now));
        }
        current.put(host, null);
      }
    }
    return out;
  }

  static AlertRecord alert(GuardRailAlert a, AlertRecord.Status status, long now) {
    Map<String, String> labels = new HashMap<>();
    labels.put("alertname", GUARD_RAIL_RULE);
    labels.put("severity", "warning");
    labels.put("host", a.host());
    labels.put("guardRail", a.kind());
    labels.put("action", a.action());
    if (!a.rule().isEmpty()) {
      labels.put("healthRule", a.rule());
    }
    return new AlertRecord(
        a.fingerprint(),
        GUARD_RAIL_RULE,
        status,
        "warning",
        labels,
        status == AlertRecord.Status.FIRING
            ? "scheduler guard-rail held back: " + a.action() + " " + a.host()
            : "scheduler guard-rail released: " + a.host(),
        a.message()
            + "; look for a workload problem, or override the host with PUT"
            + " /api/v1/hosts/"
            + a.host()
            + "/override",
        a.timeMicros(),
        status == AlertRecord.Status.RESOLVED ? now : null,
        now,
        List.of(a.host()),
        List.of());
  }

  // ---- health and metrics ------------------------------------------------------------------

  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        String p = problem;
        if (!running) {
          return Result.unhealthy("the scheduler is not running");
        }
        if (p != null) {
          return Result.unhealthy(p);
        }
        if (!worker.isAlive()) {
          return Result.unhealthy("the scheduler thread died; see the log");
        }
        Stats s = stats;
        return Result.healthy(
            "%d hosts (%d cordoned, %d draining), %d jobs waiting, %d running",
            s.hosts(), s.cordoned(), s.draining(), s.waiting(), s.running());
      }
    };
  }

  public void registerMetrics(MetricRegistry m) {
    String p = "sixfinger.scheduler.";
    m.register(p + "jobs.waiting", (Gauge<Integer>) () -> stats.waiting());
    m.register(p + "jobs.running", (Gauge<Integer>) () -> stats.running());
    m.register(p + "jobs.completed", (Gauge<Integer>) () -> stats.completed());
    m.register(p + "hosts", (Gauge<Integer>) () -> stats.hosts());
    m.register(p + "hosts.cordoned", (Gauge<Integer>) () -> stats.cordoned());
    m.register(p + "hosts.draining", (Gauge<Integer>) () -> stats.draining());
    m.register(p + "cycle.millis", (Gauge<Long>) () -> stats.lastCycleMillis());
    m.register(p + "commands.queued", (Gauge<Integer>) queue::size);
    m.register(p + "commands", (Gauge<Long>) commands::get);
    m.register(p + "events.written", (Gauge<Long>) eventsWritten::get);
    m.register(p + "write.failures", (Gauge<Long>) writeFailures::get);
    m.register(p + "alerts.written", (Gauge<Long>) alertsWritten::get);
    m.register(p + "snapshots", (Gauge<Long>) snapshots::get);
    m.register(p + "inputs.health", (Gauge<Long>) () -> inputs.healthRecords());
    m.register(p + "inputs.capacity", (Gauge<Long>) () -> inputs.capacityEvents());
    m.register(p + "inputs.rejected", (Gauge<Long>) () -> inputs.rejected());
  }
}
