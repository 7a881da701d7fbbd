package dev.sixfinger.scheduler;

import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.scheduler.health.HealthBook;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostHealth;
import dev.sixfinger.scheduler.health.HostOverride;
import dev.sixfinger.scheduler.job.DuplicateJobException;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.InvalidJobException;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.NotFoundException;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Explainer;
import dev.sixfinger.scheduler.matching.Host;
import dev.sixfinger.scheduler.matching.JobExplanation;
import dev.sixfinger.scheduler.matching.Matcher;
import dev.sixfinger.scheduler.ranking.Quotas;
import dev.sixfinger.scheduler.ranking.Ranking;
import dev.sixfinger.scheduler.ranking.ScoredTask;
import dev.sixfinger.scheduler.ranking.Task;
import dev.sixfinger.scheduler.rebalancer.Rebalancer;
import dev.sixfinger.scheduler.state.Reservation;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import dev.sixfinger.scheduler.state.SchedulerSnapshot;
import dev.sixfinger.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's commands. Each command validates its input against the current state and
 * <em>returns</em> the events that record it, without changing anything; {@link #apply} then folds
 * them in. The Kafka wiring appends the events to {@code sixfinger.scheduler} and applies them once
 * the write is acknowledged, so that nothing is acted on before it is durable, and a restart
 * replays the log (after the latest {@link #snapshot}) into an equal state.
 *
 * <p>Commands must be serialised with the apply of the events they return: the next command
 * validates against the state those events leave.
 */
public final class Scheduler {
  private final SchedulerConfig config;
  private final Clock clock;
  private final SchedulerState state;
  private Map<String, String> lastSkipped = Map.of();

  public Scheduler(SchedulerConfig config, Clock clock) {
    this(config, clock, new SchedulerState());
  }

  public Scheduler(SchedulerConfig config, Clock clock, SchedulerState state) {
    this.config = config;
    this.clock = clock;
    this.state = state;
  }

  /** A scheduler whose state is read from {@link #snapshot()} bytes. */
  public static Scheduler restore(SchedulerConfig config, Clock clock, byte[] snapshot) {
    return new Scheduler(config, clock, SchedulerSnapshot.read(snapshot));
  }

  public byte[] snapshot() {
    return SchedulerSnapshot.write(state);
  }

  public SchedulerState state() {
    return state;
  }

  public SchedulerConfig config() {
    return config;
  }

  public void apply(List<SchedulerEvent> events) {
    events.forEach(state::apply);
  }

  /** Applies and returns the events: for callers without a log (tests, the simulator). */
  public List<SchedulerEvent> applied(List<SchedulerEvent> events) {
    apply(events);
    return events;
  }

  // ---- commands -----------------------------------------------------------------------------

  /** A host's capacity and attributes, from its agent; no event if nothing changed. */
  public List<SchedulerEvent> upsertHost(
      String host, Resources capacity, Map<String, String> attributes) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host name must not be empty");
    }
    if (capacity.milliCpus() < 0 || capacity.memMib() < 0 || capacity.gpus() < 0) {
      throw new IllegalArgumentException(
          "host " + host + " capacity must not be negative: " + capacity);
    }
    Host old = state.cluster().get(host);
    if (old != null
        && old.capacity().equals(capacity)
        && old.attributes().equals(new TreeMap<>(attributes))) {
      return List.of();
    }
    return List.of(new SchedulerEvent.HostUpdated(clock.nowMicros(), host, capacity, attributes));
  }

  /**
   * Accepts jobs, all or none.
   *
   * @throws InvalidJobException naming every broken rule of the first invalid job (HTTP 400)
   * @throws DuplicateJobException when a uuid exists or repeats in the batch (HTTP 409)
   */
  public List<SchedulerEvent> submit(List<Job> jobs) {
    long now = clock.nowMicros();
    Set<String> seen = new HashSet<>();
    List<SchedulerEvent> out = new ArrayList<>();
    for (Job j : jobs) {
      List<String> v = j.violations();
      if (!v.isEmpty()) {
        throw new InvalidJobException(j.uuid(), v);
      }
      if (state.job(j.uuid()) != null || !seen.add(j.uuid())) {
        throw new DuplicateJobException(j.uuid());
      }
      out.add(new SchedulerEvent.JobSubmitted(now, j.withSubmitMicros(now)));
    }
    return out;
  }

  /** Kills a job; nothing if it already completed. @throws NotFoundException for unknown jobs */
  public List<SchedulerEvent> kill(String uuid, String by) {
    JobStatus s = state.job(uuid);
    if (s == null) {
      throw new NotFoundException("no job " + uuid);
    }
    if (s.state() == JobState.COMPLETED) {
      return List.of();
    }
    return List.of(new SchedulerEvent.JobKilled(clock.nowMicros(), uuid, by));
  }

  /**
   * What an executor reports of an instance. Reports about an instance that already ended are
   * ignored (executors repeat themselves).
   *
   * @param reason why it ended; defaults to normal-exit for success and unknown for failure
   * @throws NotFoundException for an unknown task id
   */
  public List<SchedulerEvent> instanceUpdate(String taskId, InstanceState next, Reason reason) {
    String uuid = state.jobOfTask(taskId);
    if (uuid == null) {
      throw new NotFoundException("no instance " + taskId);
    }
    if (next == InstanceState.UNKNOWN) {
      throw new IllegalArgumentException(
          "instance state unknown cannot be reported, only set by placement");
    }
    Instance i = null;
    for (Instance x : state.job(uuid).instances()) {
      if (x.taskId().equals(taskId)) {
        i = x;
      }
    }
    if (i == null || i.state().terminal() || i.state() == next) {
      return List.of();
    }
    Reason r = reason;
    if (next.terminal() && r == null) {
      r = next == InstanceState.SUCCESS ? Reason.NORMAL_EXIT : Reason.UNKNOWN;
    }
    return List.of(
        new SchedulerEvent.InstanceUpdated(
            clock.nowMicros(), uuid, taskId, next, next.terminal() ? r : null));
  }

  /**
   * An automated health record from {@code sixfinger.health}, and what it changes now. A record
   * older than the one held, or equal to it, gives no events, so the topic can be re-read.
   */
  public List<SchedulerEvent> healthRecord(HealthRecord r) {
    if (!List.of("drain", "cordon", HealthRecord.NONE).contains(r.action())) {
      throw new IllegalArgumentException(
          "health record for "
              + r.host()
              + ": action must be drain, cordon or none, got '"
              + r.action()
              + "'");
    }
    HealthRecord current = state.health().get(r.host()).record();
    if (current != null && current.timeMicros() > r.timeMicros()) {
      // Older than what we hold (a replayed or reordered record): it must not undo a newer one.
      return List.of();
    }
    if (r.equals(current)) {
      // The record we hold, read again (a restart re-reads the compacted topic): nothing changes.
      return List.of();
    }
    long now = clock.nowMicros();
    List<SchedulerEvent> out = new ArrayList<>();
    out.add(new SchedulerEvent.HealthRecordReceived(now, r));
    HostHealth pending = state.health().get(r.host()).withRecord(r);
    out.addAll(healthEvents(List.of(r.host()), now, Map.of(r.host(), pending)));
    return out;
  }

  /** An operator's override, which wins over automation until {@code ttlMicros} pass. */
  public List<SchedulerEvent> override(
      String host, HealthState target, long ttlMicros, String author, String reason) {
    long now = clock.nowMicros();
    HostOverride o = new HostOverride(host, target, author, reason, now, now + ttlMicros);
    List<SchedulerEvent> out = new ArrayList<>();
    out.add(new SchedulerEvent.OverrideSet(now, o));
    HostHealth pending = state.health().get(host).withOverride(o);
    out.addAll(healthEvents(List.of(host), now, Map.of(host, pending)));
    return out;
  }

  /** Removes an operator's override; automation decides again. */
  public List<SchedulerEvent> clearOverride(String host, String author) {
    if (state.health().get(host).override() == null) {
      throw new NotFoundException("no override on host " + host);
    }
    long now = clock.nowMicros();
    List<SchedulerEvent> out = new ArrayList<>();
    out.add(new SchedulerEvent.OverrideCleared(now, host, author));
    HostHealth pending = state.health().get(host).withOverride(null);
    out.addAll(healthEvents(List.of(host), now, Map.of(host, pending)));
    return out;
  }

  private List<SchedulerEvent> healthEvents(
      List<String> hosts, long now, Map<String, HostHealth> pending) {
    List<SchedulerEvent> out = new ArrayList<>();
    for (HealthBook.Outcome o :
        state.health().evaluate(hosts, state.cluster().size(), now, config.health(), pending)) {
      if (o instanceof HealthBook.Change c) {
        out.add(
            new SchedulerEvent.HostHealthChanged(
                now, c.host(), c.from(), c.to(), c.cause(), c.detail(), c.deadline()));
      } else if (o instanceof HealthBook.Trip t) {
        out.add(new SchedulerEvent.GuardRailTripped(now, t.alert()));
      } else if (o instanceof HealthBook.Release rel) {
        out.add(new SchedulerEvent.GuardRailReleased(now, rel.host()));
      }
    }
    return out;
  }

  /**
   * One scheduling cycle at {@code now}: health expiries and held-back decisions, reservations that
   * lapsed, drain deadlines and runtime limits, then ranking, matching and preemption.
   */
  public List<SchedulerEvent> cycle(long now) {
    List<SchedulerEvent> out =
        new ArrayList<>(healthEvents(List.copyOf(state.health().asMap().keySet()), now, Map.of()));
    Map<String, HealthState> changed = new HashMap<>();
    for (SchedulerEvent e : out) {
      if (e instanceof SchedulerEvent.HostHealthChanged c) {
        changed.put(c.host(), c.to());
      }
    }
    java.util.function.Predicate<String> healthy =
        h -> changed.getOrDefault(h, state.health().state(h)).placeable();

    Map<String, String> reservations = new LinkedHashMap<>();
    for (Reservation r : state.reservations().values()) {
      if (r.sinceMicros() + config.reservationTtlMicros() <= now) {
        out.add(new SchedulerEvent.ReservationReleased(now, r.host(), r.jobUuid(), "lapsed"));
      } else if (!healthy.test(r.host())) {
        out.add(
            new SchedulerEvent.ReservationReleased(
                now, r.host(), r.jobUuid(), "host out of service"));
      } else {
        reservations.put(r.host(), r.jobUuid());
      }
    }

    // Stop what must stop; those jobs are requeued and ranked again at the next cycle.
    List<Task> tasks = new ArrayList<>();
    Map<String, Quotas.Usage> usage = new HashMap<>();
    Map<String, JobStatus> byUuid = new HashMap<>();
    Map<String, Instance> runningOf = new HashMap<>();
    for (JobStatus s : state.activeJobs()) {
      Job j = s.job();
      Instance i = s.activeInstance();
      if (i != null) {
        HealthState hs = changed.getOrDefault(i.host(), state.health().state(i.host()));
        long deadline = state.health().get(i.host()).drainDeadlineMicros();
        if (hs == HealthState.DRAINING && deadline > 0 && deadline <= now) {
          out.add(
              new SchedulerEvent.InstanceUpdated(
                  now, j.uuid(), i.taskId(), InstanceState.FAILED, Reason.DRAINED));
          continue;
        }
        if (i.startMicros() + j.maxRuntimeMicros() <= now) {
          out.add(
              new SchedulerEvent.InstanceUpdated(
                  now, j.uuid(), i.taskId(), InstanceState.FAILED, Reason.MAX_RUNTIME_EXCEEDED));
          continue;
        }
        usage.merge(
            j.user(), Quotas.Usage.NONE.plus(j.resources()), (a, b) -> a.plus(j.resources()));
        runningOf.put(j.uuid(), i);
      }
      byUuid.put(j.uuid(), s);
      tasks.add(
          new Task(
              j.uuid(),
              j.user(),
              j.resources(),
              j.priority(),
              i != null,
              i == null ? 0 : i.startMicros(),
              j.submitMicros()));
    }

    List<ScoredTask> ranked =
        Ranking.rank(config.policy(), tasks, config.shares(), state.cluster().capacity());
    List<Matcher.Request> requests = new ArrayList<>();
    for (ScoredTask t : ranked) {
      if (!t.task().running()) {
        JobStatus s = byUuid.get(t.task().uuid());
        requests.add(new Matcher.Request(s.job(), s.failedHosts(), state.reservedHostOf(s.uuid())));
      }
    }
    Quotas.Tracker quota = config.quotas().tracker(usage);
    Matcher.Result result =
        Matcher.match(requests, state.cluster().all(), healthy, reservations, quota);
    Map<String, Resources> placedOn = new HashMap<>();
    for (Matcher.Placement p : result.placements()) {
      JobStatus s = byUuid.get(p.jobUuid());
      int attempt = s.instances().size() + 1;
      out.add(
          new SchedulerEvent.InstanceStarted(
              now, p.jobUuid(), Instance.taskId(p.jobUuid(), attempt), attempt, p.host()));
      placedOn.merge(p.host(), s.job().resources(), Resources::plus);
    }
    lastSkipped = result.skipped();

    if (config.rebalancer().enabled() && !result.skipped().isEmpty()) {
      out.addAll(rebalance(now, tasks, result, byUuid, runningOf, placedOn, healthy, reservations));
    }
    return out;
  }

  private List<SchedulerEvent> rebalance(
      long now,
      List<Task> tasks,
      Matcher.Result result,
      Map<String, JobStatus> byUuid,
      Map<String, Instance> runningOf,
      Map<String, Resources> placedOn,
      java.util.function.Predicate<String> healthy,
      Map<String, String> reservations) {
    // Preemption always reasons in cumulative shares, whatever orders the queue.
    List<ScoredTask> scored = Ranking.cumulative(tasks, config.shares());
    List<Rebalancer.Starved> starved = new ArrayList<>();
    List<Rebalancer.Running> running = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    result.placements().forEach(p -> placed.add(p.jobUuid()));
    for (ScoredTask t : scored) {
      JobStatus s = byUuid.get(t.task().uuid());
      if (t.task().running()) {
        Instance i = runningOf.get(s.uuid());
        running.add(
            new Rebalancer.Running(
                i.taskId(), s.job().user(), i.host(), s.job().resources(), t.score()));
      } else if (!placed.contains(s.uuid())
          && !result.skipped().getOrDefault(s.uuid(), "").startsWith("over quota")
          && state.reservedHostOf(s.uuid()) == null) {
        starved.add(new Rebalancer.Starved(s.job(), t.score(), s.failedHosts()));
      }
    }
    List<Host> hosts = new ArrayList<>();
    for (Host h : state.cluster().all()) {
      Resources extra = placedOn.get(h.name());
      hosts.add(extra == null ? h : h.withUsed(h.used().plus(extra)));
    }
    List<SchedulerEvent> out = new ArrayList<>();
    for (Rebalancer.Decision d :
        Rebalancer.decide(
            config.rebalancer(),
            starved,
            running,
            hosts,
            h -> healthy.test(h) && !reservations.containsKey(h))) {
      out.add(new SchedulerEvent.Preempted(now, d.host(), d.forJob(), d.victims()));
    }
    return out;
  }

  // ---- explanations -------------------------------------------------------------------------

  /** Why a job is waiting (or where it runs). @throws NotFoundException for unknown jobs */
  public JobExplanation explain(String uuid) {
    JobStatus s = state.job(uuid);
    if (s == null) {
      throw new NotFoundException("no job " + uuid);
    }
    Map<String, Quotas.Usage> usage = new HashMap<>();
    for (JobStatus j : state.activeJobs()) {
      if (j.activeInstance() != null && j.job().user().equals(s.job().user())) {
        usage.merge(
            j.job().user(),
            Quotas.Usage.NONE.plus(j.job().resources()),
            (a, b) -> a.plus(j.job().resources()));
      }
    }
    String overQuota =
        Quotas.exceeded(
            config.quotas().of(s.job().user()),
            usage.getOrDefault(s.job().user(), Quotas.Usage.NONE),
            s.job().user(),
            s.job().resources());
    Map<String, String> reservations = new HashMap<>();
    state.reservations().values().forEach(r -> reservations.put(r.host(), r.jobUuid()));
    return Explainer.explain(
        s,
        overQuota,
        state.cluster().all(),
        h -> state.health().state(h).placeable(),
        reservations);
  }

  /** A waiting job at its place in the queue, with why it is still waiting. */
  public record Queued(int rank, JobStatus status, double score, JobExplanation why) {}

  /**
   * The waiting jobs in the order the next cycle considers them (the configured policy over every
   * running and waiting job), the first {@code limit} with their explanation.
   */
  public List<Queued> queue(int limit) {
    List<Task> tasks = new ArrayList<>();
    Map<String, JobStatus> byUuid = new HashMap<>();
    for (JobStatus s : state.activeJobs()) {
      Job j = s.job();
      Instance i = s.activeInstance();
      byUuid.put(j.uuid(), s);
      tasks.add(
          new Task(
              j.uuid(),
              j.user(),
              j.resources(),
              j.priority(),
              i != null,
              i == null ? 0 : i.startMicros(),
              j.submitMicros()));
    }
    List<Queued> out = new ArrayList<>();
    int rank = 0;
    for (ScoredTask t :
        Ranking.rank(config.policy(), tasks, config.shares(), state.cluster().capacity())) {
      if (t.task().running()) {
        continue;
      }
      rank++;
      if (out.size() >= limit) {
        break;
      }
      out.add(new Queued(rank, byUuid.get(t.task().uuid()), t.score(), explain(t.task().uuid())));
    }
    return out;
  }

  /** A host's health and every reason behind it. */
  public HealthBook.Explanation explainHost(String host) {
    return state.health().explain(host, clock.nowMicros(), config.health());
  }

  /** For each job left waiting by the last {@link #cycle}, the matcher's short reason. */
  public Map<String, String> lastSkipped() {
    return lastSkipped;
  }
}
