package dev.sixfinger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.time.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesTheUnitsOperatorsWrite() {
    assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s", "x")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("5m", "x")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h", "x")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse(" 1d ", "x")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void errorsNameTheSettingAndTheForm() {
    assertThatThrownBy(() -> Durations.parse("10 minutes", "interval"))
        .hasMessage("interval '10 minutes' is not a duration such as 500ms, 30s, 5m, 2h or 1d");
    assertThatThrownBy(() -> Durations.parse(null, "interval")).hasMessageContaining("interval");
  }
}
