package dev.sixfinger.scheduler.job;

/**
 * One attempt to run a job on a host. The task id is {@code <job uuid>-<attempt>}, derived from the
 * log, so a replay produces the same ids.
 *
 * @param endMicros 0 while the instance has not ended
 * @param reason null while the instance has not ended
 */
public record Instance(
    String taskId,
    String jobUuid,
    int attempt,
    String host,
    InstanceState state,
    long startMicros,
    long endMicros,
    Reason reason) {

  public static String taskId(String jobUuid, int attempt) {
    return jobUuid + "-" + attempt;
  }

  public boolean active() {
    return !state.terminal();
  }

  public Instance withState(InstanceState next, Reason why, long atMicros) {
    return new Instance(
        taskId, jobUuid, attempt, host, next, startMicros, next.terminal() ? atMicros : 0, why);
  }
}
