package dev.sixfinger.collector.agent.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterRatesTest {
  private final CounterRates rates = new CounterRates();

  @Test
  void firstReadingOnlyPrimes() {
    assertThat(rates.perSecond("a", 100, 1_000_000)).isEmpty();
    assertThat(rates.perSecond("a", 600, 11_000_000)).hasValue(50.0);
  }

  @Test
  void rateUsesTheGivenTimesNotTheWallClock() {
    rates.perSecond("a", 0, 0);
    assertThat(rates.perSecond("a", 1_000, 2_500_000)).hasValue(400.0);
    assertThat(rates.delta("b", 5, 0)).isEmpty();
    assertThat(rates.delta("b", 12, 1)).hasValue(7);
  }

  @Test
  void counterGoingBackwardsGivesNothingThenRestartsFromTheNewValue() {
    rates.perSecond("a", 1_000, 0);
    assertThat(rates.perSecond("a", 10, 10_000_000)).isEmpty();
    assertThat(rates.perSecond("a", 110, 20_000_000)).hasValue(10.0);
  }

  @Test
  void timeThatDoesNotAdvanceGivesNothing() {
    rates.perSecond("a", 0, 5_000_000);
    assertThat(rates.perSecond("a", 10, 5_000_000)).isEmpty();
    assertThat(rates.perSecond("a", 20, 4_000_000)).isEmpty();
    assertThat(rates.perSecond("a", 30, 5_000_000)).hasValue(10.0);
  }

  @Test
  void unchangedCounterIsZeroNotMissing() {
    rates.perSecond("a", 42, 0);
    assertThat(rates.perSecond("a", 42, 10_000_000)).hasValue(0.0);
  }

  @Test
  void keysAreIndependent() {
    rates.perSecond("a", 100, 0);
    rates.perSecond("b", 100, 0);
    assertThat(rates.perSecond("a", 50, 10_000_000)).isEmpty();
    assertThat(rates.perSecond("b", 200, 10_000_000)).hasValue(10.0);
  }

  @Test
  void forgetsCountersNotReadInTheLatestSample() {
    rates.perSecond("gone", 1, 0);
    rates.perSecond("kept", 1, 0);
    rates.perSecond("kept", 2, 10);
    rates.forgetOthersThan(10);
    assertThat(rates.size()).isEqualTo(1);
    assertThat(rates.perSecond("gone", 5, 20)).isEmpty();
  }
}
