package dev.sixfinger.scheduler.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a user asked to run. The uuid is chosen by the client so that a retried submission is
 * recognised (a second submission of the same uuid is a conflict, never a second job).
 *
 * @param maxRetries Cook's meaning: the number of attempts that may count against the job, so 1
 *     runs it once; failures for "mea culpa" reasons do not count (see {@link Reason})
 * @param maxRuntimeMicros an instance running longer is killed and fails with {@link
 *     Reason#MAX_RUNTIME_EXCEEDED}
 * @param submitMicros set by the scheduler when it accepts the job
 */
public record Job(
    String uuid,
    String user,
    String command,
    double cpus,
    long memMib,
    int gpus,
    int priority,
    int maxRetries,
    long maxRuntimeMicros,
    Map<String, String> labels,
    List<Constraint> constraints,
    long submitMicros) {

  public static final int DEFAULT_PRIORITY = 50;
  public static final int MAX_PRIORITY = 100;
  public static final double MAX_CPUS = 1024;
  public static final long MAX_MEM_MIB = 16L * 1024 * 1024;
  public static final int MAX_GPUS = 64;
  public static final int MAX_RETRIES = 100;
  public static final long DEFAULT_MAX_RUNTIME_MICROS = 7L * 24 * 3600 * 1_000_000;
  public static final int MAX_COMMAND_LENGTH = 64 * 1024;
  public static final int MAX_LABELS = 64;
  public static final int MAX_CONSTRAINTS = 32;
  private static final Pattern UUID_FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Pattern USER_FORM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

  public Job {
    labels =
        labels == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
  }

  public Resources resources() {
    return Resources.of(cpus, memMib, gpus);
  }

  public Job withSubmitMicros(long micros) {
    return new Job(
        uuid,
        user,
        command,
        cpus,
        memMib,
        gpus,
        priority,
        maxRetries,
        maxRuntimeMicros,
        labels,
        constraints,
        micros);
  }

  /** Every broken rule, each naming the field and its limit; empty when the job is valid. */
  public List<String> violations() {
    List<String> v = new ArrayList<>();
    if (uuid == null || !UUID_FORM.matcher(uuid).matches()) {
      v.add("uuid '" + uuid + "' must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    if (user == null || !USER_FORM.matcher(user).matches()) {
      v.add("user '" + user + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (command == null || command.isBlank()) {
      v.add("command must not be empty");
    } else if (command.length() > MAX_COMMAND_LENGTH) {
      v.add("command is " + command.length() + " characters, at most " + MAX_COMMAND_LENGTH);
    }
    if (!(cpus > 0) || cpus > MAX_CPUS) {
      v.add("cpus " + cpus + " must be more than 0 and at most " + MAX_CPUS);
    } else if (Math.abs(cpus * 1000 - Math.round(cpus * 1000)) > 1e-6) {
      v.add("cpus " + cpus + " must be a multiple of 0.001");
    }
    if (memMib <= 0 || memMib > MAX_MEM_MIB) {
      v.add("mem " + memMib + " MiB must be more than 0 and at most " + MAX_MEM_MIB + " MiB");
    }
    if (gpus < 0 || gpus > MAX_GPUS) {
      v.add("gpus " + gpus + " must be between 0 and " + MAX_GPUS);
    }
    if (priority < 0 || priority > MAX_PRIORITY) {
      v.add("priority " + priority + " must be between 0 and " + MAX_PRIORITY);
    }
    if (maxRetries < 1 || maxRetries > MAX_RETRIES) {
      v.add("max_retries " + maxRetries + " must be between 1 and " + MAX_RETRIES);
    }
    if (maxRuntimeMicros <= 0) {
      v.add("max_runtime must be positive, got " + maxRuntimeMicros + " µs");
    }
    if (labels.size() > MAX_LABELS) {
      v.add("labels has " + labels.size() + " entries, at most " + MAX_LABELS);
    }
    if (constraints.size() > MAX_CONSTRAINTS) {
      v.add("constraints has " + constraints.size() + " entries, at most " + MAX_CONSTRAINTS);
    }
    return v;
  }

  public static Builder builder(String uuid, String user, String command) {
    return new Builder(uuid, user, command);
  }

  /** Defaults: 1 cpu, 1024 MiB, no gpus, priority 50, one attempt, runtime up to 7 days. */
  public static final class Builder {
    private final String uuid;
    private final String user;
    private final String command;
    private double cpus = 1;
    private long memMib = 1024;
    private int gpus;
    private int priority = DEFAULT_PRIORITY;
    private int maxRetries = 1;
    private long maxRuntimeMicros = DEFAULT_MAX_RUNTIME_MICROS;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Constraint> constraints = new ArrayList<>();

    private Builder(String uuid, String user, String command) {
      this.uuid = uuid;
      this.user = user;
      this.command = command;
    }

    public Builder cpus(double v) {
      cpus = v;
      return this;
    }

    public Builder memMib(long v) {
      memMib = v;
      return this;
    }

    public Builder gpus(int v) {
      gpus = v;
      return this;
    }

    public Builder priority(int v) {
      priority = v;
      return this;
    }

    public Builder maxRetries(int v) {
      maxRetries = v;
      return this;
    }

    public Builder maxRuntimeMicros(long v) {
      maxRuntimeMicros = v;
      return this;
    }

    public Builder label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    public Builder constraint(String attribute, Constraint.Op op, String value) {
      constraints.add(new Constraint(attribute, op, value));
      return this;
    }

    public Job build() {
      return new Job(
          uuid,
          user,
          command,
          cpus,
          memMib,
          gpus,
          priority,
          maxRetries,
          maxRuntimeMicros,
          labels,
          constraints,
          0);
    }
  }
}
