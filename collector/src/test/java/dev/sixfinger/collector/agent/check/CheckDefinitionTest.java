package dev.sixfinger.collector.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckDefinitionTest {

  @Test
  void defaults() {
    CheckDefinition c = CheckDefinition.of("check/ntp", List.of("/usr/lib/nagios/check_ntp"));
    assertThat(c.period()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.environment()).isEmpty();
    assertThat(c.workingDirectory()).isNull();
    assertThat(c.argv()).containsExactly("/usr/lib/nagios/check_ntp");
  }

  @Test
  void shellChecksRunThroughSh() {
    assertThat(CheckDefinition.shell("check/x", "echo hi | wc -c").argv())
        .containsExactly("/bin/sh", "-c", "echo hi | wc -c");
  }

  @Test
  void errorsNameTheCheckAndTheField() {
    assertThatThrownBy(() -> CheckDefinition.of("check/a", List.of()))
        .hasMessage("check 'check/a': command must not be empty");
    assertThatThrownBy(
            () -> new CheckDefinition("check/b", List.of("a", "b"), true, null, null, null, null))
        .hasMessage(
            "check 'check/b': command with shell: true must be exactly one script string, was 2");
    assertThatThrownBy(
            () -> CheckDefinition.shell("check/c", "true").withPeriod(Duration.ofMillis(10)))
        .hasMessage("check 'check/c': period must be at least 100ms, was PT0.01S");
    assertThatThrownBy(() -> CheckDefinition.shell("check/d", "true").withTimeout(Duration.ZERO))
        .hasMessage("check 'check/d': timeout must be positive, was PT0S");
    assertThatThrownBy(
            () ->
                new CheckDefinition(
                    "check/e", List.of("x"), false, null, null, null, Map.of("A=B", "c")))
        .hasMessage("check 'check/e': environment has an invalid entry A=B=c");
    assertThatThrownBy(() -> CheckDefinition.shell(" ", "true"))
        .hasMessage("check name must not be blank");
  }
}
