package dev.sixfinger.server.rules;

import dev.sixfinger.core.time.Clock;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.runner.EngineRunner;
import dev.sixfinger.rules.runner.RunnerSettings;
import java.nio.file.Path;
import java.time.Duration;

/** The engine alone in a JVM of its own, so that a test can kill it with SIGKILL. */
public final class EngineMain {
  private EngineMain() {}

  /** Arguments: bootstrap servers, rules directory, group. */
  public static void main(String[] args) throws InterruptedException {
    dev.sixfinger.server.kafka.KafkaTestLogging.quiet();
    RunnerSettings settings =
        RunnerSettings.defaults(args[0])
            .withGroup(args[2])
            .withStartFromEarliest(true)
            .withSnapshotInterval(Duration.ofSeconds(2))
            .withIdleTick(Duration.ofMillis(200));
    EngineRunner runner =
        new EngineRunner(RuleSet.load(Path.of(args[1])), settings, Clock.system());
    Thread thread = new Thread(runner, "rules-engine");
    thread.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.stop();
                  try {
                    thread.join(30_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    thread.join();
  }
}
