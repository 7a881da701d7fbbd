package dev.sixfinger.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsGrowExponentiallyUpToTheMaximumWithJitter() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delayMillis(1)).isBetween(1L, 100L);
      assertThat(b.delayMillis(3)).isBetween(1L, 400L);
      assertThat(b.delayMillis(60)).isBetween(1L, 2_000L);
    }
    long max = 0;
    for (int i = 0; i < 500; i++) {
      max = Math.max(max, b.delayMillis(10));
    }
    assertThat(max).isGreaterThan(1_000L); // jitter spreads over the whole range
  }

  @Test
  void aBackwardsRangeIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial");
  }

  @Test
  void onlyOverloadAndServerErrorsAreRetriedPerItem() {
    assertThat(BulkWriter.retryable(429)).isTrue();
    assertThat(BulkWriter.retryable(503)).isTrue();
    assertThat(BulkWriter.retryable(400)).isFalse();
    assertThat(BulkWriter.retryable(409)).isFalse();
  }
}
