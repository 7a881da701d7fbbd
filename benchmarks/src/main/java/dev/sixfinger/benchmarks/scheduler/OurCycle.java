package dev.sixfinger.benchmarks.scheduler;

import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our scheduler: {@link Scheduler#cycle} with the default configuration (Cook's cumulative share
 * ranking, best-fit matching, no quotas, no preemption), which is everything the server's cycle
 * does except appending the events to Kafka and applying them.
 *
 * <p>The state (hosts, running jobs, pending jobs) is built once, through the scheduler's own
 * commands and events. {@link Scheduler#cycle} only <em>returns</em> the events of its decisions
 * and changes nothing, so every call is one full cycle from the same state ({@code
 * SchedulerWorkloadTest} checks that two calls decide the same); {@link #prepare} has nothing to
 * do.
 */
public final class OurCycle implements CycleUnderTest {
  static final long NOW_MICROS = 1_767_225_600_000_000L;

  private final Scheduler scheduler;
  private long clock;

  public OurCycle(SchedulerWorkload w) {
    scheduler = new Scheduler(SchedulerConfig.defaults(), () -> clock);
    for (SchedulerWorkload.HostSpec h : w.hosts()) {
      scheduler.applied(
          scheduler.upsertHost(
              h.name(), new Resources(h.milliCpus(), h.memMib(), 0), h.attributes()));
    }
    // One job per microsecond, in the workload's submission order, which is what a user's tasks
    // are ordered by after priority (FenzoCycle's ranking of the same jobs assumes that order; in
    // one batch all would tie and the uuid would order them instead).
    List<SchedulerWorkload.JobSpec> jobs = new ArrayList<>(w.running().size() + w.pending().size());
    w.running().forEach(r -> jobs.add(r.job()));
    jobs.addAll(w.pending());
    clock = NOW_MICROS - jobs.size();
    for (SchedulerWorkload.JobSpec j : jobs) {
      scheduler.applied(scheduler.submit(List.of(job(j))));
      clock++;
    }
    List<SchedulerEvent> started = new ArrayList<>(w.running().size());
    for (SchedulerWorkload.Running r : w.running()) {
      String uuid = r.job().uuid();
      started.add(
          new SchedulerEvent.InstanceStarted(
              NOW_MICROS, uuid, Instance.taskId(uuid, 1), 1, r.host()));
    }
    scheduler.apply(started);
  }

  private static Job job(SchedulerWorkload.JobSpec j) {
    Job.Builder b =
        Job.builder(j.uuid(), j.user(), "true").cpus(j.milliCpus() / 1000.0).memMib(j.memMib());
    if (j.constraint() != null) {
      b.constraint(
          "rack",
          j.constraint().equals() ? Constraint.Op.EQUALS : Constraint.Op.NOT_EQUALS,
          j.constraint().rack());
    }
    return b.build();
  }

  @Override
  public void prepare() {}

  @Override
  public Map<String, String> cycle() {
    List<SchedulerEvent> events = scheduler.cycle(NOW_MICROS);
    Map<String, String> placed = new HashMap<>(events.size() * 2);
    for (SchedulerEvent e : events) {
      if (e instanceof SchedulerEvent.InstanceStarted s) {
        placed.put(s.uuid(), s.host());
      }
    }
    return placed;
  }

  /** The events of one cycle, as the server would append them. */
  public List<SchedulerEvent> events() {
    return scheduler.cycle(NOW_MICROS);
  }

  @Override
  public void close() {}
}
