package dev.sixfinger.server.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.runner.RunnerSettings;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Map;

/** The {@code rules} section of the configuration; every default is in config/sixfinger.yml. */
public class RulesFactory {
  /** Run the rules engine in this server. */
  @JsonProperty private boolean enabled = true;

  /** The rule files ({@code *.yml}). */
  @JsonProperty @NotEmpty private String dir = "config/rules";

  /** Reload when a rule file changes (checked every watchInterval). */
  @JsonProperty private boolean watch = true;

  @JsonProperty @NotNull private Duration watchInterval = Duration.seconds(2);

  /** Consumer group, snapshot key and transactional id; one engine per group writes at a time. */
  @JsonProperty @NotEmpty private String group = RunnerSettings.DEFAULT_GROUP;

  @JsonProperty @NotNull private Duration commitInterval = Duration.milliseconds(100);
  @JsonProperty @NotNull private Duration snapshotInterval = Duration.minutes(1);
  @JsonProperty @NotNull private Duration idleTick = Duration.seconds(1);

  @JsonProperty
  @Min(1)
  private int maxBuffered = 50_000;

  /**
   * Where an engine without a snapshot or committed offsets begins: {@code latest} (the end of the
   * log: a new engine starts cold, like Riemann) or {@code earliest} (a backfill of the whole
   * retained log).
   */
  @JsonProperty @NotEmpty private String startFrom = "latest";

  /** TTL of indexed events without one. */
  @JsonProperty @NotNull private Duration defaultTtl = Duration.seconds(60);

  /** How long a health record holds unless the engine renews it. */
  @JsonProperty @NotNull private Duration healthTtl = Duration.minutes(15);

  public boolean enabled() {
    return enabled;
  }

  public Path dir() {
    return Path.of(dir);
  }

  public boolean watch() {
    return watch;
  }

  public java.time.Duration watchInterval() {
    return java.time.Duration.ofMillis(Math.max(100, watchInterval.toMilliseconds()));
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public void setDir(String dir) {
    this.dir = dir;
  }

  public RunnerSettings toSettings(String bootstrapServers) {
    return new RunnerSettings(
        bootstrapServers,
        group,
        java(commitInterval),
        java(snapshotInterval),
        java(idleTick),
        maxBuffered,
        startFromEarliest(),
        new EngineSettings(java(defaultTtl), java(healthTtl)),
        Map.of());
  }

  private boolean startFromEarliest() {
    return switch (startFrom) {
      case "earliest" -> true;
      case "latest" -> false;
      default ->
          throw new IllegalArgumentException(
              "rules.startFrom must be 'earliest' or 'latest', got '" + startFrom + "'");
    };
  }

  private static java.time.Duration java(Duration d) {
    return java.time.Duration.ofMillis(d.toMilliseconds());
  }
}
