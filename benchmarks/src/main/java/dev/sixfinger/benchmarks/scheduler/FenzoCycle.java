package dev.sixfinger.benchmarks.scheduler;

import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.TaskTrackerState;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineCurrentState;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.ranking.Ranking;
import dev.sixfinger.scheduler.ranking.ScoredTask;
import dev.sixfinger.scheduler.ranking.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos;

/**
 * Netflix Fenzo's cycle: {@link TaskScheduler#scheduleOnce} of the pending jobs, as {@link
 * TaskRequest}s in our ranking's order or in submission order (Fenzo has no ranking of its own in
 * {@code scheduleOnce}: it places tasks in the order given; ordering them is not timed), over one
 * {@link VirtualMachineLease} per host offering its free resources, with {@link
 * BinPackingFitnessCalculators#cpuMemBinPacker} and Fenzo's defaults otherwise (every host is
 * evaluated for every task: the default "fitness good enough" function never stops early, so each
 * task goes to its best-fitting host, as ours does).
 *
 * <p>{@link #prepare} (untimed) builds a fresh {@link TaskScheduler} and tells it the running jobs
 * through its task assigner, as a framework does when tasks launch, so that the bin packer sees the
 * hosts' used resources; leases never expire and are never rejected in the cycle (expiry of a
 * million seconds, a no-op reject action, no autoscaler, no shortfall evaluation), so the timed
 * call is one pure scheduling iteration. Leases carry no Mesos offer and no Mesos attributes; the
 * rack constraints are a {@link ConstraintEvaluator} that reads the host's attributes from the
 * workload, one map lookup, as cheap as ours.
 */
public final class FenzoCycle implements CycleUnderTest {
  private final SchedulerWorkload workload;
  private TaskScheduler scheduler;
  private List<TaskRequest> tasks;
  private List<VirtualMachineLease> leases;

  private final List<SchedulerWorkload.JobSpec> order;

  /**
   * @param ranked give Fenzo the pending jobs in the order of our ranking (Cook's cumulative share
   *     with the default shares, computed here, untimed), as a Fenzo framework would order its
   *     queue; otherwise in submission order
   */
  public FenzoCycle(SchedulerWorkload workload, boolean ranked) {
    this.workload = workload;
    this.order = ranked ? rankedOrder(workload) : workload.pending();
  }

  static List<SchedulerWorkload.JobSpec> rankedOrder(SchedulerWorkload w) {
    List<Task> tasks = new ArrayList<>();
    Map<String, SchedulerWorkload.JobSpec> byUuid = new HashMap<>();
    long submit = 0;
    for (SchedulerWorkload.Running r : w.running()) {
      tasks.add(task(r.job(), true, submit++));
    }
    for (SchedulerWorkload.JobSpec j : w.pending()) {
      tasks.add(task(j, false, submit++));
      byUuid.put(j.uuid(), j);
    }
    List<SchedulerWorkload.JobSpec> out = new ArrayList<>(w.pending().size());
    for (ScoredTask t : Ranking.cumulative(tasks, SchedulerConfig.defaults().shares())) {
      if (!t.task().running()) {
        out.add(byUuid.get(t.task().uuid()));
      }
    }
    return out;
  }

  private static Task task(SchedulerWorkload.JobSpec j, boolean running, long submit) {
    return new Task(
        j.uuid(),
        j.user(),
        new Resources(j.milliCpus(), j.memMib(), 0),
        Job.DEFAULT_PRIORITY,
        running,
        0,
        submit);
  }

  @Override
  public void prepare() {
    close();
    scheduler =
        new TaskScheduler.Builder()
            .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
            .withLeaseOfferExpirySecs(1_000_000)
            .withLeaseRejectAction(lease -> {})
            .disableShortfallEvaluation()
            .build();
    Map<String, long[]> used = new HashMap<>();
    for (SchedulerWorkload.Running r : workload.running()) {
      scheduler.getTaskAssigner().call(new FenzoTask(r.job(), null), r.host());
      long[] u = used.computeIfAbsent(r.host(), h -> new long[2]);
      u[0] += r.job().milliCpus();
      u[1] += r.job().memMib();
    }
    long offeredAt = System.currentTimeMillis();
    leases = new ArrayList<>(workload.hosts().size());
    for (SchedulerWorkload.HostSpec h : workload.hosts()) {
      long[] u = used.getOrDefault(h.name(), new long[2]);
      leases.add(
          new Lease(
              h.name() + "-offer",
              h.name(),
              (h.milliCpus() - u[0]) / 1000.0,
              h.memMib() - u[1],
              offeredAt));
    }
    tasks = new ArrayList<>(workload.pending().size());
    for (SchedulerWorkload.JobSpec j : order) {
      tasks.add(
          new FenzoTask(
              j,
              j.constraint() == null
                  ? null
                  : new RackConstraintEvaluator(j.constraint(), workload)));
    }
  }

  @Override
  public Map<String, String> cycle() {
    SchedulingResult result = scheduler.scheduleOnce(tasks, leases);
    if (!result.getExceptions().isEmpty()) {
      throw new IllegalStateException("Fenzo failed", result.getExceptions().get(0));
    }
    Map<String, String> placed = new HashMap<>(tasks.size() * 2);
    for (VMAssignmentResult vm : result.getResultMap().values()) {
      for (TaskAssignmentResult t : vm.getTasksAssigned()) {
        placed.put(t.getRequest().getId(), vm.getHostname());
      }
    }
    return placed;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdown();
      scheduler = null;
    }
  }

  /** A job as Fenzo's task request: cpus and memory only, and the rack constraint if any. */
  static final class FenzoTask implements TaskRequest {
    private final SchedulerWorkload.JobSpec job;
    private final List<ConstraintEvaluator> hard;
    private AssignedResources assigned;

    FenzoTask(SchedulerWorkload.JobSpec job, ConstraintEvaluator constraint) {
      this.job = job;
      this.hard = constraint == null ? List.of() : List.of(constraint);
    }

    @Override
    public String getId() {
      return job.uuid();
    }

    @Override
    public String taskGroupName() {
      return job.user();
    }

    @Override
    public double getCPUs() {
      return job.milliCpus() / 1000.0;
    }

    @Override
    public double getMemory() {
      return job.memMib();
    }

    @Override
    public double getNetworkMbps() {
      return 0;
    }

    @Override
    public double getDisk() {
      return 0;
    }

    @Override
    public int getPorts() {
      return 0;
    }

    @Override
    public Map<String, Double> getScalarRequests() {
      return Collections.emptyMap();
    }

    @Override
    public Map<String, NamedResourceSetRequest> getCustomNamedResources() {
      return Collections.emptyMap();
    }

    @Override
    public List<? extends ConstraintEvaluator> getHardConstraints() {
      return hard;
    }

    @Override
    public List<? extends VMTaskFitnessCalculator> getSoftConstraints() {
      return List.of();
    }

    @Override
    public void setAssignedResources(AssignedResources assignedResources) {
      this.assigned = assignedResources;
    }

    @Override
    public AssignedResources getAssignedResources() {
      return assigned;
    }
  }

  /** A host's free resources offered for the cycle; no Mesos offer behind it. */
  static final class Lease implements VirtualMachineLease {
    private final String id;
    private final String host;
    private final double cpus;
    private final double memMib;
    private final long offeredAt;

    Lease(String id, String host, double cpus, double memMib, long offeredAt) {
      this.id = id;
      this.host = host;
      this.cpus = cpus;
      this.memMib = memMib;
      this.offeredAt = offeredAt;
    }

    @Override
    public String getId() {
      return id;
    }

    @Override
    public long getOfferedTime() {
      return offeredAt;
    }

    @Override
    public String hostname() {
      return host;
    }

    @Override
    public String getVMID() {
      return host;
    }

    @Override
    public double cpuCores() {
      return cpus;
    }

    @Override
    public double memoryMB() {
      return memMib;
    }

    @Override
    public double networkMbps() {
      return 0;
    }

    @Override
    public double diskMB() {
      return 0;
    }

    @Override
    public List<Range> portRanges() {
      return List.of();
    }

    @Override
    public Protos.Offer getOffer() {
      return null;
    }

    @Override
    public Map<String, Protos.Attribute> getAttributeMap() {
      return Collections.emptyMap();
    }

    @Override
    public Double getScalarValue(String name) {
      return null;
    }

    @Override
    public Map<String, Double> getScalarValues() {
      return Collections.emptyMap();
    }
  }

  /** The workload's rack constraint as a Fenzo hard constraint. */
  static final class RackConstraintEvaluator implements ConstraintEvaluator {
    private static final Result OK = new Result(true, "");
    private final SchedulerWorkload.RackConstraint constraint;
    private final SchedulerWorkload workload;
    private final Result failed;

    RackConstraintEvaluator(SchedulerWorkload.RackConstraint c, SchedulerWorkload workload) {
      this.constraint = c;
      this.workload = workload;
      this.failed = new Result(false, "rack " + (c.equals() ? "=" : "!=") + " " + c.rack());
    }

    @Override
    public String getName() {
      return "rack";
    }

    @Override
    public Result evaluate(
        TaskRequest taskRequest, VirtualMachineCurrentState targetVM, TaskTrackerState tracker) {
      SchedulerWorkload.HostSpec h = workload.host(targetVM.getHostname());
      return h != null && constraint.test(h.attributes()) ? OK : failed;
    }
  }
}
