package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckSchedulerTest {
  private static final Clock CLOCK = () -> 42L;

  @TempDir Path dir;

  private final List<Event> events = new CopyOnWriteArrayList<>();

  private static CheckScheduler scheduler(List<CheckDefinition> checks, Consumer<Event> sink) {
    return new CheckScheduler(checks, sink, CLOCK, 4, Duration.ZERO, new CheckRunner());
  }

  @Test
  void aCheckLongerThanItsPeriodRunsSequentiallyAndCountsTheSkips() throws Exception {
    Path log = dir.resolve("log");
    CheckDefinition check =
        CheckDefinition.shell(
                "check/slow",
                "echo start >> " + log + "; sleep 2; echo end >> " + log + "; echo OK")
            .withPeriod(Duration.ofMillis(500))
            .withTimeout(Duration.ofSeconds(5));
    try (CheckScheduler scheduler = scheduler(List.of(check), events::add)) {
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
      CheckScheduler.CheckStats stats = scheduler.stats().get(0);
      assertThat(stats.runs()).isGreaterThanOrEqualTo(2);
      assertThat(stats.skipped()).isGreaterThanOrEqualTo(3);
      assertThat(stats.lastDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(stats.maxDuration()).isGreaterThanOrEqualTo(stats.lastDuration());
    }
    List<String> lines = Files.readAllLines(log);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i))
          .as("line %d of %s", i, lines)
          .isEqualTo(i % 2 == 0 ? "start" : "end");
    }
    assertThat(events.get(0).description()).isEqualTo("OK");
    assertThat(events.get(0).timeMicros()).isEqualTo(42L);
  }

  @Test
  void checksRunEveryPeriodAndTimeoutsAreCounted() {
    CheckDefinition fast =
        CheckDefinition.shell("check/fast", "echo 'OK | n=1'").withPeriod(Duration.ofMillis(200));
    CheckDefinition stuck =
        CheckDefinition.shell("check/stuck", "sleep 10")
            .withPeriod(Duration.ofMillis(300))
            .withTimeout(Duration.ofMillis(200));
    try (CheckScheduler scheduler = scheduler(List.of(fast, stuck), events::add)) {
      scheduler.start();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  scheduler.stats().get(0).runs() >= 3 && scheduler.stats().get(1).timeouts() >= 2);
      assertThat(scheduler.stats())
          .extracting(CheckScheduler.CheckStats::name)
          .containsExactly("check/fast", "check/stuck");
    }
    assertThat(events)
        .filteredOn(e -> e.service().equals("check/stuck"))
        .allSatisfy(e -> assertThat(e.description()).isEqualTo("timed out after 200ms"));
    assertThat(events).extracting(Event::service).contains("check/fast/n");
  }

  @Test
  void aFailingSinkDoesNotStopTheSchedule() {
    AtomicInteger calls = new AtomicInteger();
    Consumer<Event> failing =
        e -> {
          calls.incrementAndGet();
          throw new IllegalStateException("sink down");
        };
    CheckDefinition check =
        CheckDefinition.shell("check/x", "echo OK").withPeriod(Duration.ofMillis(100));
    try (CheckScheduler scheduler = scheduler(List.of(check), failing)) {
      scheduler.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
    }
  }

  @Test
  void closeKillsRunningChecks() throws Exception {
    Path pidFile = dir.resolve("pid");
    CheckDefinition check =
        CheckDefinition.shell(
                "check/long",
                "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile + "; sleep 30")
            .withTimeout(Duration.ofSeconds(60));
    CheckScheduler scheduler = scheduler(List.of(check), events::add);
    scheduler.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pidFile));
    long pid = Scripts.pid(pidFile);
    scheduler.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> Scripts.gone(pid));
    assertThat(events).isEmpty();
  }

  @Test
  void namesMustBeUnique() {
    CheckDefinition a = CheckDefinition.shell("check/a", "true");
    assertThatThrownBy(() -> scheduler(List.of(a, a), events::add))
        .hasMessage("check 'check/a' is defined twice");
  }
}
