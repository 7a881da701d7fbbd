package dev.sixfinger.server.rules;

import com.codahale.metrics.health.HealthCheck;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.ReloadResult;
import dev.sixfinger.rules.runner.EngineRunner;
import dev.sixfinger.rules.runner.RunnerSettings;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules engine in the server: an {@link EngineRunner} on a thread of its own, and a watcher
 * that reloads the rule files when they change. An invalid set at start stops the server with its
 * errors; an invalid set later is refused and the running set stays.
 */
public final class RulesService implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);

  private final Path dir;
  private final RulesFactory config;
  private final RunnerSettings settings;
  private EngineRunner runner;
  private Thread engineThread;
  private Thread watchThread;
  private volatile boolean watching;
  private volatile ReloadResult lastReload;

  public RulesService(RulesFactory config, String bootstrapServers) {
    this.config = config;
    this.dir = config.dir();
    this.settings = config.toSettings(bootstrapServers);
  }

  @Override
  public void start() {
    RuleSet set = RuleSet.load(dir);
    if (!set.ok()) {
      StringBuilder msg = new StringBuilder("the rule files in " + dir + " have errors:");
      set.errors().forEach(e -> msg.append("\n  ").append(e));
      msg.append("\nFix them (./sixfinger check-rules ").append(dir).append(") and start again.");
      throw new IllegalStateException(msg.toString());
    }
    LOG.info("Rules engine starting with {} rules from {}", set.rules().size(), dir);
    runner = new EngineRunner(set, settings, Clock.system());
    engineThread = new Thread(runner, "rules-engine");
    engineThread.setDaemon(true);
    engineThread.start();
    if (config.watch()) {
      watching = true;
      watchThread = new Thread(this::watch, "rules-watch");
      watchThread.setDaemon(true);
      watchThread.start();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    watching = false;
    if (watchThread != null) {
      watchThread.interrupt();
      watchThread.join(5_000);
    }
    if (runner != null) {
      runner.stop();
      engineThread.join(60_000);
    }
  }

  /** Loads the rule files and hands them to the engine; errors refuse the set. */
  public CompletableFuture<ReloadResult> reload() {
    RuleSet set = RuleSet.load(dir);
    if (!set.ok()) {
      LOG.warn(
          "Rule files in {} have {} errors; the running rules stay: {}",
          dir,
          set.errors().size(),
          set.errors());
    }
    return runner.reload(set).whenComplete((r, e) -> lastReload = r);
  }

  public EngineRunner.Status status() {
    return runner.status();
  }

  public Path dir() {
    return dir;
  }

  /** The last reload, refused or applied; null before the first. */
  public ReloadResult lastReload() {
    return lastReload;
  }

  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      protected Result check() {
        EngineRunner.Status s = runner.status();
        return switch (s.state()) {
          case RUNNING -> Result.healthy("running, %d events processed", s.eventsProcessed());
          case STARTING, RECOVERING -> Result.healthy("recovering");
          case STANDBY -> Result.healthy("standby: another engine of the group is active");
          default -> Result.unhealthy("rules engine is %s: %s", s.state(), s.lastError());
        };
      }
    };
  }

  // Polling, not WatchService: it also sees changes on network and bind-mounted file systems.
  private void watch() {
    TreeMap<String, List<Long>> seen = fingerprint();
    while (watching) {
      try {
        TimeUnit.MILLISECONDS.sleep(config.watchInterval().toMillis());
      } catch (InterruptedException e) {
        return;
      }
      TreeMap<String, List<Long>> now = fingerprint();
      if (!now.equals(seen)) {
        seen = now;
        LOG.info("Rule files in {} changed; reloading", dir);
        reload();
      }
    }
  }

  private TreeMap<String, List<Long>> fingerprint() {
    TreeMap<String, List<Long>> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yml")).toList()) {
        try {
          files.put(
              p.getFileName().toString(),
              List.of(Files.getLastModifiedTime(p).toMillis(), Files.size(p)));
        } catch (IOException e) {
          files.put(p.getFileName().toString(), List.of(-1L, -1L));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}", dir, e);
    }
    return files;
  }
}
