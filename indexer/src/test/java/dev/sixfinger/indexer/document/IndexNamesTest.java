package dev.sixfinger.indexer.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
  private final IndexNames names = new IndexNames("sixfinger");

  @Test
  void dailyNamesComeFromTheUtcDayOfTheRecord() {
    long justBeforeMidnight = LocalDate.parse("2026-11-24").toEpochDay() * 86_400_000_000L - 1;
    assertThat(names.index(Dataset.EVENTS, justBeforeMidnight))
        .isEqualTo("sixfinger-events-2026.11.23");
    assertThat(names.index(Dataset.EVENTS, justBeforeMidnight + 1))
        .isEqualTo("sixfinger-events-2026.11.24");
    assertThat(names.index(Dataset.HEALTH, 0)).isEqualTo("sixfinger-health-1970.01.01");
    assertThat(names.index(Dataset.EVENTS, -1)).isEqualTo("sixfinger-events-1969.12.31");
  }

  @Test
  void onlyOurOwnDailyIndicesHaveADay() {
    assertThat(names.dayOf("sixfinger-alerts-2026.01.31")).contains(LocalDate.parse("2026-01-31"));
    assertThat(names.dayOf("sixfinger-events-latest")).isEmpty();
    assertThat(names.dayOf("sixfinger-notes-2026.01.31")).isEmpty();
    assertThat(names.dayOf("other-events-2026.01.31")).isEmpty();
    assertThat(names.dayOf("sixfinger-events-2026.13.01")).isEmpty();
    assertThat(names.dayOf("xsixfinger-events-2026.01.01")).isEmpty();
  }

  @Test
  void aPrefixElasticsearchWouldRefuseIsRefusedWithTheRule() {
    assertThatThrownBy(() -> new IndexNames("Sixfinger"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Sixfinger'")
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> new IndexNames("-x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexNames("a*b")).isInstanceOf(IllegalArgumentException.class);
  }
}
