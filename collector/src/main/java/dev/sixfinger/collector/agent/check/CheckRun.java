package dev.sixfinger.collector.agent.check;

import java.time.Duration;

/**
 * What happened when a check ran once. Exactly one of: it exited ({@code exitCode} set), it timed
 * out and was killed ({@code timedOut}), or it could not start ({@code startError} set).
 *
 * @param exitCode the exit code (128 + n when killed by signal n), or null
 * @param stdout stdout decoded as UTF-8, at most the runner's cap
 * @param stdoutTruncated whether stdout went on beyond the cap (the rest was discarded)
 * @param stderr stderr decoded as UTF-8, at most the runner's stderr cap
 * @param timedOut whether the run exceeded its timeout and was killed
 * @param startError why the command could not start, or null
 * @param duration how long the run took
 */
public record CheckRun(
    Integer exitCode,
    String stdout,
    boolean stdoutTruncated,
    String stderr,
    boolean timedOut,
    String startError,
    Duration duration) {

  static CheckRun exited(
      int exitCode, String stdout, boolean truncated, String stderr, Duration duration) {
    return new CheckRun(exitCode, stdout, truncated, stderr, false, null, duration);
  }

  static CheckRun timedOut(Duration duration) {
    return new CheckRun(null, "", false, "", true, null, duration);
  }

  static CheckRun failedToStart(String reason, Duration duration) {
    return new CheckRun(null, "", false, "", false, reason, duration);
  }
}
