package dev.sixfinger.scheduler.state;

/** A host freed by preemption, held for the job it was freed for. */
public record Reservation(String host, String jobUuid, long sinceMicros) {}
