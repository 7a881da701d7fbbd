package dev.sixfinger.scheduler.ranking;

/** A task with its score; lower scores are scheduled first and preempted last. */
public record ScoredTask(Task task, double score) {}
