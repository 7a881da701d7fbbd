package dev.sixfinger.collector.agent.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One script check as configured: what to run, how often, and for how long at most.
 *
 * @param name the check's name, which becomes the event service (e.g. {@code check/ntp})
 * @param command the argv, run without a shell; with {@code shell} exactly one string, a script for
 *     {@code /bin/sh -c}
 * @param shell whether to run the single command string through {@code /bin/sh -c}
 * @param period how often to run, default 60 s, at least 100 ms
 * @param timeout how long one run may take before it is killed, default 10 s. It may exceed the
 *     period: a run still going when the next is due makes that next run skipped (and counted).
 * @param workingDirectory the directory to run in, or null for the agent's
 * @param environment variables added to (or replacing in) the agent's environment
 */
public record CheckDefinition(
    String name,
    List<String> command,
    boolean shell,
    Duration period,
    Duration timeout,
    Path workingDirectory,
    Map<String, String> environment) {

  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Shorter periods would make the scheduler spin rather than run checks. */
  public static final Duration MIN_PERIOD = Duration.ofMillis(100);

  public CheckDefinition {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("check name must not be blank");
    }
    if (command == null || command.isEmpty()) {
      throw invalid(name, "command", "must not be empty");
    }
    if (command.stream().anyMatch(Objects::isNull)) {
      throw invalid(name, "command", "must not contain null elements, was " + command);
    }
    if (command.get(0).isBlank()) {
      throw invalid(name, "command", "must start with a program, was " + command);
    }
    if (shell && command.size() != 1) {
      throw invalid(
          name,
          "command",
          "with shell: true must be exactly one script string, was " + command.size());
    }
    period = period == null ? DEFAULT_PERIOD : period;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (period.compareTo(MIN_PERIOD) < 0) {
      throw invalid(
          name, "period", "must be at least " + MIN_PERIOD.toMillis() + "ms, was " + period);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw invalid(name, "timeout", "must be positive, was " + timeout);
    }
    if (environment != null) {
      environment.forEach(
          (k, v) -> {
            if (k == null || k.isEmpty() || k.contains("=") || v == null) {
              throw invalid(name, "environment", "has an invalid entry " + k + "=" + v);
            }
          });
    }
    command = List.copyOf(command);
    environment =
        environment == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  /** A check run directly (no shell), with the default period and timeout. */
  public static CheckDefinition of(String name, List<String> command) {
    return new CheckDefinition(name, command, false, null, null, null, null);
  }

  /** A check whose one script string runs through {@code /bin/sh -c}. */
  public static CheckDefinition shell(String name, String script) {
    return new CheckDefinition(
        name, script == null ? null : List.of(script), true, null, null, null, null);
  }

  public CheckDefinition withPeriod(Duration period) {
    return new CheckDefinition(
        name, command, shell, period, timeout, workingDirectory, environment);
  }

  public CheckDefinition withTimeout(Duration timeout) {
    return new CheckDefinition(
        name, command, shell, period, timeout, workingDirectory, environment);
  }

  /** The argv actually executed. */
  public List<String> argv() {
    if (!shell) {
      return command;
    }
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c"));
    argv.add(command.get(0));
    return argv;
  }

  private static IllegalArgumentException invalid(String name, String field, String problem) {
    return new IllegalArgumentException("check '" + name + "': " + field + " " + problem);
  }
}
