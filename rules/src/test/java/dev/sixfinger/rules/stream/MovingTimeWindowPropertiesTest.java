package dev.sixfinger.rules.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The ring-buffer moving time window against the definition, recomputed from scratch each time. */
class MovingTimeWindowPropertiesTest {

  /**
   * Steps in milliseconds: mostly forward, negative ones make late events (out of order), so both
   * the head eviction and the full scan are exercised; a restore half way must change nothing.
   */
  @Property
  void emitsWhatTheNaiveWindowHolds(
      @ForAll @Size(max = 300) List<@IntRange(min = -20_000, max = 15_000) Integer> stepsMillis,
      @ForAll @IntRange(min = 1, max = 60_000) int windowMillis,
      @ForAll @IntRange(min = 0, max = 300) int restoreAt) {
    long dt = windowMillis * 1000L;
    StreamContext ctx = new StreamContext(Ev.sec(0));
    BatchSink sink = new BatchSink();
    Stream window = new Streams(ctx).movingTimeWindow(Duration.ofMillis(windowMillis), sink);

    List<Event> accepted = new ArrayList<>();
    List<List<Event>> expected = new ArrayList<>();
    long horizon = Long.MIN_VALUE;
    long t = Ev.sec(0);
    for (int i = 0; i < stepsMillis.size(); i++) {
      if (i == restoreAt) {
        BatchSink fresh = new BatchSink();
        Stream restored = new Streams(ctx).movingTimeWindow(Duration.ofMillis(windowMillis), fresh);
        Snapshots.restore(restored, Snapshots.snapshot(window));
        fresh.batches.addAll(sink.batches);
        window = restored;
        sink = fresh;
      }
      t += stepsMillis.get(i) * 1000L;
      Event e = Event.builder().metric((long) i).timeMicros(t).build();
      window.accept(e);

      horizon = Math.max(horizon, t);
      long cutoff = horizon - dt;
      if (t > cutoff) {
        accepted.add(e);
        List<Event> inWindow = new ArrayList<>();
        for (Event a : accepted) {
          if (a.timeMicros() > cutoff) {
            inWindow.add(a);
          }
        }
        expected.add(inWindow);
      }
    }
    assertThat(sink.batches).isEqualTo(expected);
  }
}
