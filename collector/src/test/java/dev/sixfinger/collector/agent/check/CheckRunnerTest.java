package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.core.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real child processes, run from scripts in a temporary directory. */
class CheckRunnerTest {
  private final CheckRunner runner = new CheckRunner();

  @TempDir Path dir;

  private List<Event> run(CheckDefinition check) throws InterruptedException {
    return CheckEvents.toEvents(check, runner.run(check), 1L);
  }

  private CheckDefinition script(String name, String body) throws Exception {
    return CheckDefinition.of("check/" + name, List.of(Scripts.write(dir, name, body).toString()));
  }

  @ParameterizedTest
  @CsvSource({"0,ok", "1,warning", "2,critical", "3,unknown", "4,unknown", "255,unknown"})
  void exitCodesGiveNagiosStates(int exit, String state) throws Exception {
    Event e = run(script("exit", "echo 'status " + exit + "'\nexit " + exit)).get(0);
    assertThat(e.state()).isEqualTo(state);
    assertThat(e.description()).isEqualTo("status " + exit);
    assertThat(e.attributes()).containsEntry("exit-code", Integer.toString(exit));
  }

  @Test
  void aCrashBySignalIsUnknownWithItsExitCode() throws Exception {
    Event e = run(script("crash", "echo 'about to crash'\nkill -9 $$")).get(0);
    assertThat(e.state()).isEqualTo("unknown");
    assertThat(e.attributes()).containsEntry("exit-code", "137");
  }

  @Test
  void perfdataFromARealPlugin() throws Exception {
    List<Event> events =
        run(script("disk", "echo 'DISK OK | /=2643MB;5948;5958;0;5968 '\\''/var log'\\''=81%'"));
    assertThat(events)
        .extracting(Event::service)
        .containsExactly("check/disk", "check/disk//", "check/disk//var log");
    assertThat(events.get(0).metric()).isEqualTo(2643L);
    assertThat(events.get(2).attributes()).containsEntry("unit", "%");
  }

  @Test
  void aCheckThatTimesOutIsKilledWithItsChildrenAndReportedCritical() throws Exception {
    CheckDefinition check =
        script(
                "slow",
                "echo $$ > "
                    + dir.resolve("pid")
                    + "\n"
                    + "sleep 30 &\n"
                    + "echo $! > "
                    + dir.resolve("child")
                    + "\n"
                    + "wait")
            .withTimeout(Duration.ofSeconds(1));
    CheckRun run = runner.run(check);

    assertThat(run.timedOut()).isTrue();
    assertThat(run.duration()).isLessThan(Duration.ofSeconds(5));
    Event e = CheckEvents.toEvents(check, run, 1L).get(0);
    assertThat(e.state()).isEqualTo("critical");
    assertThat(e.description()).isEqualTo("timed out after 1s");
    long pid = Scripts.pid(dir.resolve("pid"));
    long child = Scripts.pid(dir.resolve("child"));
    await().atMost(Duration.ofSeconds(5)).until(() -> Scripts.gone(pid) && Scripts.gone(child));
  }

  @Test
  void aCommandThatDoesNotExistCannotStart() throws Exception {
    Event e = run(CheckDefinition.of("check/missing", List.of("/nonexistent/check_foo"))).get(0);
    assertThat(e.state()).isEqualTo("critical");
    assertThat(e.description())
        .startsWith("cannot start: ")
        .contains("/nonexistent/check_foo")
        .contains("No such file or directory");
  }

  @Test
  void aScriptThatIsNotExecutableCannotStart() throws Exception {
    Path script = dir.resolve("plain");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Event e = run(CheckDefinition.of("check/plain", List.of(script.toString()))).get(0);
    assertThat(e.state()).isEqualTo("critical");
    assertThat(e.description()).startsWith("cannot start: ").contains("Permission denied");
  }

  @Test
  void aMissingWorkingDirectoryCannotStart() throws Exception {
    CheckDefinition check =
        new CheckDefinition(
            "check/wd", List.of("true"), false, null, null, dir.resolve("nope"), null);
    CheckRun run = runner.run(check);
    assertThat(run.startError()).isNotNull();
  }

  @Test
  void aCheckThatPrintsNothing() throws Exception {
    Event e = run(script("quiet", "exit 0")).get(0);
    assertThat(e.state()).isEqualTo("ok");
    assertThat(e.description()).isEqualTo("(no output)");
    assertThat(e.attributes()).doesNotContainKey("stderr");
  }

  @Test
  void stderrIsKeptApartFromTheDescription() throws Exception {
    Event e = run(script("err", "echo 'CRITICAL: down'\necho 'details' >&2\nexit 2")).get(0);
    assertThat(e.description()).isEqualTo("CRITICAL: down");
    assertThat(e.attributes()).containsEntry("stderr", "details");
  }

  @Test
  void aCheckThatPrintsTenMegabytesOnOneLineIsCutNotHung() throws Exception {
    CheckDefinition check =
        script("loud", "head -c 10485760 /dev/zero | tr '\\0' x\necho\necho 'tail' >&2\nexit 1");
    CheckRun run = runner.run(check);
    assertThat(run.duration()).isLessThan(Duration.ofSeconds(5));
    assertThat(run.stdoutTruncated()).isTrue();
    assertThat(run.stdout()).hasSize(CheckRunner.DEFAULT_MAX_OUTPUT_BYTES);
    assertThat(run.stderr()).isEqualTo("tail\n");
    Event e = CheckEvents.toEvents(check, run, 1L).get(0);
    assertThat(e.state()).isEqualTo("warning");
    assertThat(e.description()).startsWith("xxx").endsWith("… [output truncated]");
    assertThat(e.description().length()).isLessThan(1100);
  }

  @Test
  void aCheckThatPrintsManyLinesKeepsItsFirstLinePerfdata() throws Exception {
    Event e =
        run(script("lines", "echo 'OK | a=1'\nhead -c 10485760 /dev/zero | tr '\\0' '\\n'")).get(0);
    assertThat(e.description()).isEqualTo("OK [output truncated]");
    assertThat(e.metric()).isEqualTo(1L);
  }

  @Test
  void shellWorkingDirectoryAndEnvironment() throws Exception {
    CheckDefinition check =
        new CheckDefinition(
            "check/env",
            List.of("echo \"$GREETING from $(pwd)\" | tr a-z A-Z"),
            true,
            null,
            null,
            dir,
            Map.of("GREETING", "hello"));
    Event e = run(check).get(0);
    assertThat(e.description()).isEqualTo("HELLO FROM " + dir.toString().toUpperCase(Locale.ROOT));
  }

  @Test
  void aCheckReadingStdinSeesItsEnd() throws Exception {
    Event e = run(script("stdin", "cat\necho done")).get(0);
    assertThat(e.description()).isEqualTo("done");
  }
}
