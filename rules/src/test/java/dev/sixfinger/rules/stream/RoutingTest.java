package dev.sixfinger.rules.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private final Streams s = new Streams(new StreamContext(Ev.sec(0)));
  private final Sink yes = new Sink();
  private final Sink no = new Sink();

  @Test
  void whereSendsMatchesToThenAndTheRestToElse() {
    Stream where = s.where(Query.parse("service = \"swap/in-rate\" and metric > 100"), yes, no);
    where.accept(Ev.at(0, "h1", "swap/in-rate", 150));
    where.accept(Ev.at(0, "h1", "swap/in-rate", 50));
    where.accept(Ev.at(0, "h1", "cpu", 150));

    assertThat(yes.metrics()).containsExactly(150L);
    assertThat(no.metrics()).containsExactly(50L, 150L);
  }

  @Test
  void whereWithoutElseDropsWhatDoesNotMatch() {
    Stream where = s.where(e -> e.metricAsDouble() > 1, yes);
    where.accept(Ev.at(0, 1));
    where.accept(Ev.at(0, 2));
    assertThat(yes.metrics()).containsExactly(2L);
  }

  @Test
  void splitSendsEachEventToTheFirstMatchingBranchOnly() {
    Sink critical = new Sink();
    Sink warning = new Sink();
    Sink ok = new Sink();
    Stream split =
        s.split(
            List.of(
                Branch.of(Query.parse("metric > 0.9"), critical),
                Branch.of(e -> e.metricAsDouble() > 0.75, warning)),
            ok);
    for (double m : new double[] {0.95, 0.8, 0.5, 1.0}) {
      split.accept(Ev.at(0, m));
    }
    assertThat(critical.metrics()).containsExactly(0.95, 1.0);
    assertThat(warning.metrics()).containsExactly(0.8);
    assertThat(ok.metrics()).containsExactly(0.5);
  }

  @Test
  void splitWithoutDefaultDropsUnmatched() {
    Stream split = s.split(List.of(Branch.of(e -> false, yes)));
    split.accept(Ev.at(0, 1));
    assertThat(yes.events).isEmpty();
  }

  @Test
  void allGivesEveryChildTheEventEvenWhenOneThrows() {
    Stream all =
        s.all(
            e -> {
              throw new IllegalStateException("boom");
            },
            yes,
            no);
    all.accept(Ev.at(0, 1));
    assertThat(yes.events).hasSize(1);
    assertThat(no.events).hasSize(1);
  }

  @Test
  void eachAndSmap() {
    BatchStream each = s.each(s.smap(e -> e.metricAsDouble() > 1 ? e : null, yes));
    Event a = Ev.at(0, 1);
    Event b = Ev.at(1, 2);
    each.accept(List.of(a, b));
    assertThat(yes.events).containsExactly(b);
  }
}
