package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ewma, ewma-timeless, ddt and counter. */
class MetricStagesTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();

  @Test
  void ewmaWeighsByAgeInEventTime() {
    Stream ewma = s.ewma(Duration.ofSeconds(10), sink);
    ewma.accept(Ev.at(0, 10));
    ewma.accept(Ev.at(10, 20));
    ewma.accept(Ev.at(10, 20));
    // Late by one half-life: weight 0.5.
    ewma.accept(Ev.at(0, 0));
    assertThat(sink.events)
        .extracting(Event::metricAsDouble)
        .satisfiesExactly(
            m -> assertThat(m).isEqualTo(10.0),
            m -> assertThat(m).isCloseTo(25.0 / 1.5, within(1e-9)),
            m -> assertThat(m).isCloseTo(45.0 / 2.5, within(1e-9)),
            m -> assertThat(m).isCloseTo(45.0 / 3.0, within(1e-9)));
  }

  @Test
  void ewmaOfAConstantIsThatConstantAndEventsWithoutMetricPassUnchanged() {
    Stream ewma = s.ewma(Duration.ofSeconds(3), sink);
    double[] times = {0, 0.5, 7, 7.1, 100};
    for (double t : times) {
      ewma.accept(Ev.at(t, 7.0));
    }
    Event noMetric = Ev.at(101, null);
    ewma.accept(noMetric);
    assertThat(sink.events.subList(0, times.length))
        .allSatisfy(e -> assertThat(e.metricAsDouble()).isCloseTo(7.0, within(1e-9)));
    assertThat(sink.events).last().isEqualTo(noMetric);

    Sink other = new Sink();
    Stream fresh = s.ewma(Duration.ofSeconds(3), other);
    Snapshots.restore(fresh, Snapshots.snapshot(ewma));
    fresh.accept(Ev.at(102, 7.0));
    assertThat(other.events.get(0).metricAsDouble()).isCloseTo(7.0, within(1e-9));
  }

  @Test
  void ewmaTimelessStartsFromZeroAsInRiemann() {
    Stream ewma = s.ewmaTimeless(0.5, sink);
    ewma.accept(Ev.at(0, 10));
    ewma.accept(Ev.at(1, 10));
    ewma.accept(Ev.at(2, null));
    assertThat(sink.metrics()).containsExactly(5.0, 7.5, null);

    Sink other = new Sink();
    Stream fresh = s.ewmaTimeless(0.5, other);
    Snapshots.restore(fresh, Snapshots.snapshot(ewma));
    fresh.accept(Ev.at(3, 10));
    assertThat(other.metrics()).containsExactly(8.75);
  }

  @Test
  void ddtIsTheSlopeBetweenSuccessiveEventsPerSecond() {
    Stream ddt = s.ddt(sink);
    ddt.accept(Ev.at(0, 10));
    ddt.accept(Ev.at(5, 20));
    ddt.accept(Ev.at(5, 30));
    ddt.accept(Ev.at(6, null));
    ddt.accept(Ev.at(10, 20));
    assertThat(sink.metrics()).containsExactly(2.0, -2.0);
    assertThat(sink.times()).containsExactly(sec(5), sec(10));

    Sink other = new Sink();
    Stream fresh = s.ddt(other);
    Snapshots.restore(fresh, Snapshots.snapshot(ddt));
    fresh.accept(Ev.at(20, 120));
    assertThat(other.metrics()).containsExactly(10.0);
  }

  @Test
  void counterSumsMetricsAndResetsOnTheResetTag() {
    Stream counter = s.counter(sink);
    counter.accept(Ev.at(0, 1));
    counter.accept(Ev.at(1, 2));
    counter.accept(Ev.at(2, null));
    counter.accept(Ev.at(3, 100).toBuilder().tag("reset").build());
    counter.accept(Ev.at(4, 0.5));
    assertThat(sink.metrics()).containsExactly(1L, 3L, null, 100L, 100.5);

    Sink other = new Sink();
    Stream fresh = s.counter(other);
    Snapshots.restore(fresh, Snapshots.snapshot(counter));
    fresh.accept(Ev.at(5, 1));
    assertThat(other.metrics()).containsExactly(101.5);
  }

  @Test
  void counterStartsWhereItIsTold() {
    Stream counter = s.counter(500, sink);
    counter.accept(Ev.at(0, 1));
    assertThat(sink.metrics()).containsExactly(501L);
  }
}
