package dev.sixfinger.rules.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldsTest {
  private final Event a = Ev.at(0, "a", "x", 2);
  private final Event b = Ev.at(1, "b", "x", 5);
  private final Event c = Ev.at(2, "c", "x", 2);
  private final Event none = Ev.at(3, "d", "x", null);

  @Test
  void sumMeanAndCountKeepTheFirstEventsFields() {
    Event sum = Folds.sum(Arrays.asList(null, none, a, b, c));
    assertThat(sum.host()).isEqualTo("d");
    assertThat(sum.metric()).isEqualTo(9L);

    Event mean = Folds.mean(List.of(a, b, c, none));
    assertThat(mean.host()).isEqualTo("a");
    assertThat(mean.metric()).isEqualTo(3.0);

    Event count = Folds.count(Arrays.asList(b, null, a, none));
    assertThat(count.host()).isEqualTo("b");
    assertThat(count.metric()).isEqualTo(3L);
  }

  @Test
  void minAndMaxReturnTheExtremeEventTheLastOfEquals() {
    assertThat(Folds.min(List.of(a, b, c, none))).isSameAs(c);
    assertThat(Folds.max(List.of(b, a, Ev.at(9, "e", "x", 5.0))))
        .extracting(Event::host)
        .isEqualTo("e");
  }

  @Test
  void emptyAndMetriclessLists() {
    assertThat(Folds.sum(List.of())).isNull();
    assertThat(Folds.sum(List.of(none)).metric()).isEqualTo(0L);
    assertThat(Folds.mean(List.of(none))).isNull();
    assertThat(Folds.min(List.of(none))).isNull();
    assertThat(Folds.max(List.of())).isNull();
    assertThat(Folds.count(List.of()).metric()).isEqualTo(0L);
    assertThat(Folds.count(List.of()).host()).isNull();
    assertThat(Folds.quantiles(List.of(none), List.of(0.5))).isEmpty();
    assertThat(Folds.median(List.of())).isNull();
  }

  @Test
  void sumsOfIntegersStayIntegersUntilTheyOverflow() {
    assertThat(Folds.sum(List.of(a, Ev.at(0, 0.5))).metric()).isEqualTo(2.5);
    Event big = Ev.at(0, Long.MAX_VALUE);
    assertThat(Folds.sum(List.of(big, big)).metric()).isEqualTo(2.0 * Long.MAX_VALUE);
  }

  @Test
  void quantilesAndMedian() {
    List<Event> events = List.of(b, a, Ev.at(0, "z", "lat", 9), none);
    List<Event> q = Folds.quantiles(events, List.of(0.0, 0.5, 1.0));
    assertThat(q).extracting(Event::metric).containsExactly(2L, 5L, 9L);
    assertThat(q).extracting(Event::service).containsExactly("x 0", "x 0.5", "lat 1");
    assertThat(Folds.median(events)).isSameAs(b);
  }

  @Test
  void foldStagesPassNonNullResults() {
    Streams s = new Streams(new StreamContext(0));
    Sink sink = new Sink();
    BatchStream all =
        s.allBatches(s.sum(sink), s.mean(sink), s.min(sink), s.max(sink), s.count(sink));
    all.accept(List.of(a, b));
    all.accept(List.of(none));
    assertThat(sink.metrics()).containsExactly(7L, 3.5, 2L, 5L, 2L, 0L, 1L);

    Sink q = new Sink();
    s.quantiles(List.of(0.5, 0.99), q).accept(List.of(a, b, c));
    assertThat(q.events).extracting(Event::service).containsExactly("x 0.5", "x 0.99");
  }
}
