package dev.sixfinger.scheduler.state;

import dev.sixfinger.scheduler.health.HealthBook;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.matching.Cluster;
import dev.sixfinger.scheduler.state.SchedulerEvent.GuardRailReleased;
import dev.sixfinger.scheduler.state.SchedulerEvent.GuardRailTripped;
import dev.sixfinger.scheduler.state.SchedulerEvent.HealthRecordReceived;
import dev.sixfinger.scheduler.state.SchedulerEvent.HostHealthChanged;
import dev.sixfinger.scheduler.state.SchedulerEvent.HostUpdated;
import dev.sixfinger.scheduler.state.SchedulerEvent.InstanceStarted;
import dev.sixfinger.scheduler.state.SchedulerEvent.InstanceUpdated;
import dev.sixfinger.scheduler.state.SchedulerEvent.JobKilled;
import dev.sixfinger.scheduler.state.SchedulerEvent.JobSubmitted;
import dev.sixfinger.scheduler.state.SchedulerEvent.OverrideCleared;
import dev.sixfinger.scheduler.state.SchedulerEvent.OverrideSet;
import dev.sixfinger.scheduler.state.SchedulerEvent.Preempted;
import dev.sixfinger.scheduler.state.SchedulerEvent.ReservationReleased;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scheduler's state as a pure fold of {@link SchedulerEvent}s: the same events in the same
 * order give an equal state, which is how a restart rebuilds it. {@link #apply} never consults a
 * clock or configuration, and accepts events it has already seen (a duplicate submission, an update
 * of an instance that already ended) without effect, so an at-least-once log replays safely.
 */
public final class SchedulerState {
  private final TreeMap<String, JobStatus> jobs = new TreeMap<>();
  private final Cluster cluster = new Cluster();
  private final HealthBook health = new HealthBook();
  private final TreeMap<String, Reservation> reservations = new TreeMap<>();
  // Derived indexes, rebuilt by the fold itself; not part of equality.
  private final Map<String, String> jobOfTask = new HashMap<>();
  private final TreeSet<String> active = new TreeSet<>();
  private final Map<String, String> reservedHostOfJob = new HashMap<>();
  private long lastEventMicros;

  public void apply(SchedulerEvent event) {
    lastEventMicros = Math.max(lastEventMicros, event.timeMicros());
    long t = event.timeMicros();
    if (event instanceof HostUpdated e) {
      cluster.upsert(e.host(), e.capacity(), e.attributes());
    } else if (event instanceof JobSubmitted e) {
      if (!jobs.containsKey(e.job().uuid())) {
        put(JobStatus.submitted(e.job()));
      }
    } else if (event instanceof JobKilled e) {
      JobStatus s = jobs.get(e.uuid());
      if (s != null && s.state() != JobState.COMPLETED) {
        Instance running = s.activeInstance();
        if (running != null) {
          s = end(s, running, InstanceState.FAILED, Reason.KILLED_BY_USER, t);
        }
        put(s.killedNow());
        dropReservationOf(e.uuid());
      }
    } else if (event instanceof InstanceStarted e) {
      JobStatus s = jobs.get(e.uuid());
      if (s != null && s.state() == JobState.WAITING && !jobOfTask.containsKey(e.taskId())) {
        Instance i =
            new Instance(
                e.taskId(), e.uuid(), e.attempt(), e.host(), InstanceState.UNKNOWN, t, 0, null);
        jobOfTask.put(e.taskId(), e.uuid());
        cluster.allocate(e.host(), s.job().resources());
        put(s.withInstance(i));
        dropReservationOf(e.uuid());
      }
    } else if (event instanceof InstanceUpdated e) {
      JobStatus s = jobs.get(e.uuid());
      Instance i = s == null ? null : find(s, e.taskId());
      if (i != null && i.active() && e.state() != InstanceState.UNKNOWN) {
        if (e.state().terminal()) {
          put(end(s, i, e.state(), e.reason(), t));
        } else {
          put(s.withInstance(i.withState(e.state(), null, t)));
        }
      }
    } else if (event instanceof Preempted e) {
      for (String task : e.victims()) {
        String uuid = jobOfTask.get(task);
        JobStatus s = uuid == null ? null : jobs.get(uuid);
        Instance i = s == null ? null : find(s, task);
        if (i != null && i.active()) {
          put(end(s, i, InstanceState.FAILED, Reason.PREEMPTED, t));
        }
      }
      JobStatus target = jobs.get(e.forJob());
      if (target != null && target.state() == JobState.WAITING) {
        dropReservationOf(e.forJob());
        Reservation old = reservations.put(e.host(), new Reservation(e.host(), e.forJob(), t));
        if (old != null) {
          reservedHostOfJob.remove(old.jobUuid());
        }
        reservedHostOfJob.put(e.forJob(), e.host());
      }
    } else if (event instanceof ReservationReleased e) {
      Reservation r = reservations.get(e.host());
      if (r != null && r.jobUuid().equals(e.forJob())) {
        reservations.remove(e.host());
        reservedHostOfJob.remove(e.forJob());
      }
    } else if (event instanceof HealthRecordReceived e) {
      health.onRecord(e.record());
    } else if (event instanceof HostHealthChanged e) {
      health.onChange(
          new HealthBook.Change(
              e.host(), e.from(), e.to(), e.cause(), e.detail(), e.drainDeadlineMicros()),
          t);
    } else if (event instanceof GuardRailTripped e) {
      health.onTrip(e.alert());
    } else if (event instanceof GuardRailReleased e) {
      health.onRelease(e.host());
    } else if (event instanceof OverrideSet e) {
      health.onOverride(e.override());
    } else if (event instanceof OverrideCleared e) {
      health.onOverrideCleared(e.host());
    }
  }

  private JobStatus end(JobStatus s, Instance i, InstanceState state, Reason reason, long t) {
    cluster.release(i.host(), s.job().resources());
    return s.withInstance(i.withState(state, reason == null ? Reason.UNKNOWN : reason, t));
  }

  private static Instance find(JobStatus s, String taskId) {
    for (Instance i : s.instances()) {
      if (i.taskId().equals(taskId)) {
        return i;
      }
    }
    return null;
  }

  private void put(JobStatus s) {
    jobs.put(s.uuid(), s);
    if (s.state() == JobState.COMPLETED) {
      active.remove(s.uuid());
      dropReservationOf(s.uuid());
    } else {
      active.add(s.uuid());
    }
  }

  private void dropReservationOf(String uuid) {
    String host = reservedHostOfJob.remove(uuid);
    if (host != null) {
      reservations.remove(host);
    }
  }

  // ---- reading ------------------------------------------------------------------------------

  public JobStatus job(String uuid) {
    return jobs.get(uuid);
  }

  public NavigableMap<String, JobStatus> jobs() {
    return Collections.unmodifiableNavigableMap(jobs);
  }

  /** Waiting and running jobs, in uuid order. */
  public Iterable<JobStatus> activeJobs() {
    return () ->
        new Iterator<>() {
          private final Iterator<String> it = active.iterator();

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public JobStatus next() {
            return jobs.get(it.next());
          }
        };
  }

  public int activeCount() {
    return active.size();
  }

  public String jobOfTask(String taskId) {
    return jobOfTask.get(taskId);
  }

  public Cluster cluster() {
    return cluster;
  }

  public HealthBook health() {
    return health;
  }

  /** Host to reservation. */
  public Map<String, Reservation> reservations() {
    return Collections.unmodifiableMap(reservations);
  }

  public String reservedHostOf(String uuid) {
    return reservedHostOfJob.get(uuid);
  }

  public long lastEventMicros() {
    return lastEventMicros;
  }

  // ---- snapshots ----------------------------------------------------------------------------

  void restoreJob(JobStatus s) {
    put(s);
    for (Instance i : s.instances()) {
      jobOfTask.put(i.taskId(), s.uuid());
      if (i.active()) {
        cluster.allocate(i.host(), s.job().resources());
      }
    }
  }

  void restoreReservation(Reservation r) {
    reservations.put(r.host(), r);
    reservedHostOfJob.put(r.jobUuid(), r.host());
  }

  void restoreLastEvent(long micros) {
    lastEventMicros = micros;
  }

  Collection<Reservation> reservationList() {
    return reservations.values();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchedulerState s
        && s.jobs.equals(jobs)
        && s.cluster.equals(cluster)
        && s.health.equals(health)
        && s.reservations.equals(reservations);
  }

  @Override
  public int hashCode() {
    return jobs.hashCode();
  }
}
