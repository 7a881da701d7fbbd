package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping from a run to events, without processes. */
class CheckEventsTest {
  private static final CheckDefinition NTP = CheckDefinition.of("check/ntp", List.of("check_ntp"));
  private static final Duration D = Duration.ofMillis(12);

  private static List<Event> events(int exit, String stdout) {
    return CheckEvents.toEvents(NTP, CheckRun.exited(exit, stdout, false, "", D), 42L);
  }

  @ParameterizedTest
  @CsvSource({
    "0,ok",
    "1,warning",
    "2,critical",
    "3,unknown",
    "4,unknown",
    "137,unknown",
    "-1,unknown"
  })
  void statesFollowNagios(int exit, String state) {
    assertThat(CheckEvents.state(exit)).isEqualTo(state);
  }

  @Test
  void theCheckEventCarriesTheFirstValueAndEachItemBecomesAnEvent() {
    List<Event> events =
        events(1, "NTP WARNING: offset 0.6s | offset=0.6s;0.5;1 'peer count'=3;;;0;10\n");
    Event check = events.get(0);
    assertThat(check.service()).isEqualTo("check/ntp");
    assertThat(check.state()).isEqualTo("warning");
    assertThat(check.description()).isEqualTo("NTP WARNING: offset 0.6s");
    assertThat(check.metric()).isEqualTo(0.6);
    assertThat(check.timeMicros()).isEqualTo(42L);
    assertThat(check.attributes())
        .containsEntry("exit-code", "1")
        .containsEntry("unit", "s")
        .containsEntry("duration-ms", "12");

    assertThat(events).hasSize(3);
    Event offset = events.get(1);
    assertThat(offset.service()).isEqualTo("check/ntp/offset");
    assertThat(offset.state()).isEqualTo("warning");
    assertThat(offset.metric()).isEqualTo(0.6);
    assertThat(offset.timeMicros()).isEqualTo(42L);
    assertThat(offset.attributes())
        .containsEntry("unit", "s")
        .containsEntry("warn", "0.5")
        .containsEntry("crit", "1")
        .doesNotContainKeys("min", "max");
    Event peers = events.get(2);
    assertThat(peers.service()).isEqualTo("check/ntp/peer count");
    assertThat(peers.metric()).isEqualTo(3L);
    assertThat(peers.attributes()).containsEntry("min", "0").containsEntry("max", "10");
    assertThat(peers.attributes()).doesNotContainKey("unit");
  }

  @Test
  void withoutPerfdataThereIsOneEventAndNoMetric() {
    List<Event> events = events(0, "all good");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).metric()).isNull();
    assertThat(events.get(0).attributes()).doesNotContainKey("unit");
  }

  @Test
  void malformedPerfdataIsNamedAndTheRestKept() {
    List<Event> events = events(0, "OK | good=1 bad=x worse");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).attributes()).containsEntry("perfdata-malformed", "bad=x worse");
  }

  @Test
  void emptyOutputStderrAndLongOutput() {
    Event empty = events(0, "").get(0);
    assertThat(empty.description()).isEqualTo("(no output)");
    Event blank = events(0, " \n\n").get(0);
    assertThat(blank.description()).isEqualTo("(no output)");
    Event onlyPerf = events(0, "| a=1").get(0);
    assertThat(onlyPerf.description()).isEqualTo("(no status text)");

    Event withStderr =
        CheckEvents.toEvents(NTP, CheckRun.exited(3, "", false, "boom\n", D), 1L).get(0);
    assertThat(withStderr.attributes()).containsEntry("stderr", "boom");
    Event longOutput = events(0, "OK\nline 2\nline 3\n").get(0);
    assertThat(longOutput.attributes()).containsEntry("long-output", "line 2\nline 3");
  }

  @Test
  void truncationDropsThePartialLastLineAndIsNoted() {
    // cut in the middle of the second perfdata line: "b=12" may have been "b=123"
    String cut = "OK | a=1\nlong | x=5\nb=12";
    List<Event> events = CheckEvents.toEvents(NTP, CheckRun.exited(0, cut, true, "", D), 1L);
    assertThat(events.get(0).description()).isEqualTo("OK [output truncated]");
    assertThat(events)
        .extracting(Event::service)
        .containsExactly("check/ntp", "check/ntp/a", "check/ntp/x");
  }

  @Test
  void aCutFirstLineKeepsItsTextButNoPerfdata() {
    String cut = "OK | a=1 b=2";
    List<Event> events = CheckEvents.toEvents(NTP, CheckRun.exited(0, cut, true, "", D), 1L);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).description()).isEqualTo("OK [output truncated]");
  }

  @Test
  void longDescriptionsAreCut() {
    Event e = events(0, "x".repeat(5000)).get(0);
    assertThat(e.description()).hasSize(CheckEvents.MAX_DESCRIPTION_CHARS + 1).endsWith("…");
  }

  @Test
  void timeoutAndStartFailureAreCritical() {
    Event timeout =
        CheckEvents.toEvents(
                NTP.withTimeout(Duration.ofSeconds(3)),
                CheckRun.timedOut(Duration.ofSeconds(3)),
                7L)
            .get(0);
    assertThat(timeout.state()).isEqualTo("critical");
    assertThat(timeout.description()).isEqualTo("timed out after 3s");
    assertThat(timeout.attributes()).doesNotContainKey("exit-code");

    Event failed =
        CheckEvents.toEvents(NTP, CheckRun.failedToStart("error=2, No such file", D), 7L).get(0);
    assertThat(failed.state()).isEqualTo("critical");
    assertThat(failed.description()).isEqualTo("cannot start: error=2, No such file");
  }

  @Test
  void formatsTimeouts() {
    assertThat(CheckEvents.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(CheckEvents.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Property
  void anyOutputAndExitCodeGiveACheckEvent(
      @ForAll int exit, @ForAll String stdout, @ForAll boolean truncated, @ForAll String stderr) {
    List<Event> events =
        CheckEvents.toEvents(NTP, CheckRun.exited(exit, stdout, truncated, stderr, D), 1L);
    assertThat(events.get(0).service()).isEqualTo("check/ntp");
    assertThat(events.get(0).description()).isNotBlank();
    assertThat(events).hasSizeLessThanOrEqualTo(1 + PerfData.MAX_ITEMS);
  }
}
