package dev.sixfinger.scheduler.job;

/**
 * An amount of cpus, memory and gpus. Cpus are kept in thousandths so that sums of fractional
 * requests stay exact: a host is never over-committed by floating point drift.
 */
public record Resources(long milliCpus, long memMib, int gpus) {
  public static final Resources ZERO = new Resources(0, 0, 0);

  public static Resources of(double cpus, long memMib, int gpus) {
    return new Resources(Math.round(cpus * 1000), memMib, gpus);
  }

  public double cpus() {
    return milliCpus / 1000.0;
  }

  public Resources plus(Resources o) {
    return new Resources(milliCpus + o.milliCpus, memMib + o.memMib, gpus + o.gpus);
  }

  public Resources minus(Resources o) {
    return new Resources(milliCpus - o.milliCpus, memMib - o.memMib, gpus - o.gpus);
  }

  /** True when {@code need} fits into this amount in every dimension. */
  public boolean covers(Resources need) {
    return milliCpus >= need.milliCpus && memMib >= need.memMib && gpus >= need.gpus;
  }

  @Override
  public String toString() {
    return cpus() + " cpus, " + memMib + " MiB" + (gpus > 0 ? ", " + gpus + " gpus" : "");
  }
}
