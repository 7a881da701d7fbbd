package dev.sixfinger.scheduler.ranking;

import dev.sixfinger.scheduler.job.Resources;

/**
 * What ranking needs to know of a job: running tasks (with their start time) and pending ones.
 *
 * @param startMicros when the running instance started; ignored for pending tasks
 */
public record Task(
    String uuid,
    String user,
    Resources resources,
    int priority,
    boolean running,
    long startMicros,
    long submitMicros) {}
