package dev.sixfinger.scheduler.ranking;

/**
 * A user's share of each resource, in the resource's own units (cpus, MiB, gpus). A gpus share of 0
 * means no gpu share is defined, and gpus then do not count in the score.
 */
public record Share(double cpus, double memMib, double gpus) {
  public Share {
    if (!(cpus > 0) || !(memMib > 0) || gpus < 0) {
      throw new IllegalArgumentException(
          "a share needs cpus > 0 and mem > 0 and gpus >= 0, got cpus="
              + cpus
              + " mem="
              + memMib
              + " gpus="
              + gpus);
    }
  }
}
