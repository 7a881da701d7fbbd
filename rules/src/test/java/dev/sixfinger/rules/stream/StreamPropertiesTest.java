package dev.sixfinger.rules.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class StreamPropertiesTest {

  @Property
  void fixedTimeWindowEmitsEveryInOrderEventExactlyOnceInOrder(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20_000) Integer> gapsMillis,
      @ForAll @IntRange(min = 1, max = 30_000) int windowMillis) {
    Streams s = new Streams(new StreamContext(Ev.sec(0)));
    BatchSink windows = new BatchSink();
    Stream window = s.fixedTimeWindow(Duration.ofMillis(windowMillis), windows);
    List<Event> input = new ArrayList<>();
    long t = Ev.sec(0);
    for (int i = 0; i < gapsMillis.size(); i++) {
      t += gapsMillis.get(i) * 1000L;
      Event e = Event.builder().metric((long) i).timeMicros(t).build();
      input.add(e);
      window.accept(e);
    }
    // An event far past the end flushes the last window.
    window.accept(Event.builder().timeMicros(t + 1_000_000_000_000L).build());

    List<Event> emitted = new ArrayList<>();
    for (List<Event> w : windows.batches) {
      assertThat(w).isNotEmpty();
      long span = w.get(w.size() - 1).timeMicros() - w.get(0).timeMicros();
      assertThat(span).isLessThan(windowMillis * 1000L);
      emitted.addAll(w);
    }
    assertThat(emitted).isEqualTo(input);
  }

  @Property
  void fixedTimeWindowNeverEmitsAnEventTwiceWhateverTheOrder(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 100_000) Integer> timesMillis,
      @ForAll @IntRange(min = 1, max = 30_000) int windowMillis) {
    Streams s = new Streams(new StreamContext(Ev.sec(0)));
    BatchSink windows = new BatchSink();
    Stream window = s.fixedTimeWindow(Duration.ofMillis(windowMillis), windows);
    for (int i = 0; i < timesMillis.size(); i++) {
      window.accept(
          Event.builder().metric((long) i).timeMicros(timesMillis.get(i) * 1000L).build());
    }
    List<Object> seen = new ArrayList<>();
    for (List<Event> w : windows.batches) {
      for (Event e : w) {
        seen.add(e.metric());
      }
    }
    assertThat(seen).doesNotHaveDuplicates();
  }

  @Property
  void foldSumEqualsTheDirectSum(
      @ForAll @Size(max = 100)
          List<@LongRange(min = -1_000_000_000L, max = 1_000_000_000L) Long> metrics) {
    List<Event> events = new ArrayList<>();
    long direct = 0;
    for (long m : metrics) {
      events.add(Event.builder().metric(m).build());
      direct += m;
    }
    Event sum = Folds.sum(events);
    if (metrics.isEmpty()) {
      assertThat(sum).isNull();
    } else {
      assertThat(sum.metric()).isEqualTo(direct);
      assertThat(Folds.count(events).metric()).isEqualTo((long) metrics.size());
    }
  }

  @Property
  void byRoutesEveryEventToExactlyItsOwnFork(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 20) Integer> keys) {
    Streams s = new Streams(new StreamContext(Ev.sec(0)));
    Map<String, List<Event>> forks = new HashMap<>();
    int[] built = new int[1];
    Stream by =
        s.by(
            List.of("host"),
            f -> {
              built[0]++;
              List<Event> mine = new ArrayList<>();
              return e -> {
                mine.add(e);
                forks.merge(
                    e.host(),
                    mine,
                    (old, cur) -> {
                      assertThat(old).isSameAs(cur);
                      return cur;
                    });
              };
            });
    Map<String, List<Event>> expected = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      Event e = Event.builder().host("h" + keys.get(i)).metric((long) i).build();
      expected.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
      by.accept(e);
    }
    assertThat(forks).isEqualTo(expected);
    assertThat(built[0]).isEqualTo(expected.size());
  }

  @Property(tries = 40)
  void aRestoredTreeEmitsWhatAnUninterruptedOneDoes(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 150) int cut) {
    List<Event> events = RuleTree.randomEvents(seed, 150);
    assertThat(RuleTree.run(events, cut)).isEqualTo(RuleTree.run(events, events.size()));
  }
}
