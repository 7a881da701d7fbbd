package dev.sixfinger.benchmarks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesBenchmarkRunnerTest {

  @Test
  void defaultsRunEverything() {
    RulesBenchmarkRunner.Options o = RulesBenchmarkRunner.parse(new String[0]);
    assertThat(o.only()).containsExactly("heap", "index", "rules");
    assertThat(o.hosts()).containsExactly("1000", "10000");
    assertThat(o.suts()).containsExactly("streams", "query-loop");
    assertThat(o.warmupIterations()).isNull();
    assertThat(o.prerollEvents()).isEqualTo(2_500_000);
  }

  @Test
  void quickIsShorterAndOptionsOverrideIt() {
    RulesBenchmarkRunner.Options o =
        RulesBenchmarkRunner.parse(new String[] {"--quick", "--iterations", "3"});
    assertThat(o.hosts()).containsExactly("1000");
    assertThat(o.warmupIterations()).isEqualTo(1);
    assertThat(o.iterations()).isEqualTo(3);
    assertThat(RulesBenchmarkRunner.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> RulesBenchmarkRunner.parse(new String[] {"--only", "disk"}))
        .hasMessageContaining("'disk'");
    assertThatThrownBy(() -> RulesBenchmarkRunner.parse(new String[] {"--hosts", "0"}))
        .hasMessageContaining("--hosts must be positive");
    assertThatThrownBy(() -> RulesBenchmarkRunner.parse(new String[] {"--frobnicate"}))
        .hasMessageContaining("unknown option --frobnicate");
  }

  @Test
  void rulesSummaryGivesTheRatioToTheBaseline() {
    RulesBenchmarkRunner.Options o = RulesBenchmarkRunner.parse(new String[0]);
    String text =
        RulesBenchmarkRunner.rulesText(
            List.of(
                Map.<String, Object>of(
                    "hosts", 1000,
                    "sut", "streams",
                    "eventsPerSecond", 250_000.0,
                    "error", 1_000.0,
                    "eventsPerCpuSecond", 300_000.0,
                    "ratioToBaseline", 0.25,
                    "cpuRatioToBaseline", 0.2),
                Map.<String, Object>of(
                    "hosts", 1000,
                    "sut", "query-loop",
                    "eventsPerSecond", 1_000_000.0,
                    "error", 2_000.0,
                    "eventsPerCpuSecond", 1_500_000.0)),
            o);
    assertThat(text)
        .contains("250,000 ± 1,000")
        .contains("0.250")
        .contains("300,000")
        .contains("0.200")
        .contains("NOT met; NOT met");
  }
}
