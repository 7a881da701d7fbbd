package dev.sixfinger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.HealthRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import net.sourceforge.argparse4j.inf.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  private static Namespace parse(String... args) throws ArgumentParserException {
    ArgumentParser parser = ArgumentParsers.newFor("sixfinger").build();
    new ReplayCommand().configure(parser.addSubparsers().addParser("replay"));
    return parser.parseArgs(ReplayCommand.joinRelativeTimes(args));
  }

  @Test
  void defaultsAndRelativeTimes() throws Exception {
    ReplayCommand.Args a = ReplayCommand.args(parse("replay", "--from", "-2h"), NOW);
    assertThat(a.from()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
    assertThat(a.to()).isNull();
    assertThat(a.bootstrap()).isEqualTo("localhost:9092");
    assertThat(a.rules()).isEqualTo(Path.of("config/rules"));
    assertThat(a.json()).isFalse();

    a =
        ReplayCommand.args(
            parse(
                "replay",
                "--rules",
                "my/rules",
                "--from",
                "2026-05-01T09:00:00+02:00",
                "--to",
                "-30m",
                "--bootstrap",
                "kafka:9093",
                "--json"),
            NOW);
    assertThat(a.from()).isEqualTo(Instant.parse("2026-05-01T07:00:00Z"));
    assertThat(a.to()).isEqualTo(Instant.parse("2026-05-01T11:30:00Z"));
    assertThat(a.bootstrap()).isEqualTo("kafka:9093");
    assertThat(a.rules()).isEqualTo(Path.of("my/rules"));
    assertThat(a.json()).isTrue();
  }

  @Test
  void timeForms() {
    assertThat(ReplayCommand.parseTime("now", "--to", NOW)).isEqualTo(NOW);
    assertThat(ReplayCommand.parseTime("now-1d", "--from", NOW))
        .isEqualTo(Instant.parse("2026-04-30T12:00:00Z"));
    assertThat(ReplayCommand.parseTime("-90s", "--from", NOW))
        .isEqualTo(Instant.parse("2026-05-01T11:58:30Z"));
    assertThat(ReplayCommand.parseTime("2026-05-01T08:00:00.5Z", "--from", NOW))
        .isEqualTo(Instant.parse("2026-05-01T08:00:00.500Z"));
    assertThatThrownBy(() -> ReplayCommand.parseTime("yesterday", "--from", NOW))
        .hasMessage(
            "--from 'yesterday' is not a time: use an ISO-8601 instant such as"
                + " 2026-01-01T00:00:00Z, now, or a time ago such as -2h, -30m or -1d");
    assertThatThrownBy(() -> ReplayCommand.parseTime("-2x", "--to", NOW))
        .hasMessageStartingWith("--to '-2x' is not a time");
    assertThatThrownBy(() -> ReplayCommand.parseTime("2026-05-01 08:00", "--to", NOW))
        .hasMessageStartingWith("--to '2026-05-01 08:00' is not a time");
  }

  @Test
  void rangeChecks() {
    assertThatThrownBy(
            () -> ReplayCommand.args(parse("replay", "--from", "-1h", "--to", "-2h"), NOW))
        .hasMessage("--to 2026-05-01T10:00:00Z must be after --from 2026-05-01T11:00:00Z");
    assertThatThrownBy(
            () -> ReplayCommand.args(parse("replay", "--from", "2026-06-01T00:00:00Z"), NOW))
        .hasMessage("--from 2026-06-01T00:00:00Z is in the future");
  }

  @Test
  void fromIsRequiredAndOnlyTimeValuesAreJoined() {
    assertThatThrownBy(() -> parse("replay")).hasMessageContaining("--from");
    assertThat(
            ReplayCommand.joinRelativeTimes(
                new String[] {"replay", "--from", "-2h", "--to", "now-1h", "--json"}))
        .containsExactly("replay", "--from=-2h", "--to", "now-1h", "--json");
    String[] other = {"check-rules", "--from", "-2h"};
    assertThat(ReplayCommand.joinRelativeTimes(other)).isSameAs(other);
  }

  @Test
  void badArgumentsAndBadRulesFailBeforeKafka(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status = ReplayCommand.run(parse("replay", "--from", "soon"), System.out, errStream, NOW);
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: --from 'soon' is not");

    err.reset();
    Files.writeString(dir.resolve("r.yml"), "- name: x\n  match: service = \n");
    status =
        ReplayCommand.run(
            parse("replay", "--rules", dir.toString(), "--from", "-1h"),
            System.out,
            errStream,
            NOW);
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith(dir.resolve("r.yml") + ":2:")
        .contains("errors in the rules of " + dir + "; nothing replayed");
  }

  @Test
  void printsTransitionsAndHealthChangesNotRenewals() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    ReplayCommand.Printer printer = new ReplayCommand.Printer(null, out);
    long t = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    printer.accept(
        new AlertRecord(
            "f1",
            "swap-in-high",
            AlertRecord.Status.FIRING,
            "warning",
            Map.of("alertname", "swap-in-high", "host", "n1", "severity", "warning"),
            "n1 is swapping",
            "",
            t,
            null,
            t,
            List.of("n1"),
            List.of()));
    HealthRecord.Decision drain =
        new HealthRecord.Decision("fleet-swap", "drain", "fleet-wide swapping", "f2", t, List.of());
    printer.accept(new HealthRecord("n1", "drain", t, t + 1, List.of(drain)));
    printer.accept(new HealthRecord("n1", "drain", t + 300_000_000L, t + 2, List.of(drain)));
    printer.accept(new HealthRecord("n1", "none", t + 360_000_000L, t + 3, List.of()));
    assertThat(buffer.toString(StandardCharsets.UTF_8).lines().toList())
        .containsExactly(
            "2026-01-01T00:00:00Z  FIRING    swap-in-high  host=n1 severity=warning  n1 is swapping",
            "2026-01-01T00:00:00Z  HEALTH    n1  drain  (fleet-swap: fleet-wide swapping)",
            "2026-01-01T00:06:00Z  HEALTH    n1  none");
    assertThat(printer.alerts).isEqualTo(1);
    assertThat(printer.healthChanges).isEqualTo(2);
  }
}
