package dev.sixfinger.collector.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MIN = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void theBoundDoublesPerAttemptUpToTheMaximum() {
    Backoff b = new Backoff(MIN, MAX, () -> 1.0);
    List<Long> caps = IntStream.range(0, 10).mapToObj(i -> b.cap(i).toMillis()).toList();
    assertThat(caps)
        .containsExactly(200L, 400L, 800L, 1600L, 3200L, 6400L, 12800L, 25600L, 30000L, 30000L);
    assertThat(b.cap(10_000)).isEqualTo(MAX);
  }

  @Test
  void fullJitterScalesTheBoundByTheRandomValue() {
    assertThat(new Backoff(MIN, MAX, () -> 0.0).delay(3)).isZero();
    assertThat(new Backoff(MIN, MAX, () -> 0.5).delay(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(new Backoff(MIN, MAX, () -> 1.0).delay(3)).isEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void realJitterSpreadsOverTheWholeRange() {
    Backoff b = new Backoff(MIN, MAX);
    List<Duration> delays = IntStream.range(0, 2000).mapToObj(i -> b.delay(20)).toList();
    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, MAX));
    assertThat(delays.stream().min(Duration::compareTo).orElseThrow())
        .isLessThan(Duration.ofSeconds(3));
    assertThat(delays.stream().max(Duration::compareTo).orElseThrow())
        .isGreaterThan(Duration.ofSeconds(27));
  }

  @Property
  void everyDelayLiesBetweenZeroAndItsCapAndCapsNeverShrink(
      @ForAll @IntRange(min = 0, max = 200) int attempt,
      @ForAll @DoubleRange(min = 0, max = 1) double random) {
    Backoff b = new Backoff(MIN, MAX, () -> random);
    assertThat(b.delay(attempt)).isBetween(Duration.ZERO, b.cap(attempt));
    assertThat(b.cap(attempt)).isBetween(MIN, MAX);
    assertThat(b.cap(attempt + 1)).isGreaterThanOrEqualTo(b.cap(attempt));
  }
}
