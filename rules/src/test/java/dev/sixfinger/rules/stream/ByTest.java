package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ByTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();

  @Test
  void eachKeyGetsItsOwnForkWithItsOwnState() {
    Stream by = s.by(List.of("host"), f -> f.counter(sink));
    by.accept(Ev.at(0, "a", "x", 1));
    by.accept(Ev.at(0, "b", "x", 10));
    by.accept(Ev.at(0, "a", "y", 1));
    by.accept(Ev.at(0, "b", "y", 10));

    assertThat(sink.metrics()).containsExactly(1L, 10L, 2L, 20L);
    assertThat(((By) by).forkCount()).isEqualTo(2);
  }

  @Test
  void severalFieldsMakeOneKeyAndMissingValuesAreAKeyToo() {
    Map<Object, List<Event>> seen = new LinkedHashMap<>();
    Stream by =
        s.by(
            List.of("host", "service"),
            f -> {
              List<Event> mine = new ArrayList<>();
              return e -> {
                mine.add(e);
                seen.put(Arrays.asList(e.host(), e.service()), mine);
              };
            });
    by.accept(Ev.at(0, "a", "x", 1));
    by.accept(Ev.at(0, "a", null, 2));
    by.accept(Ev.at(0, "a", "x", 3));
    by.accept(Ev.at(0, "a", null, 4));

    assertThat(((By) by).forkCount()).isEqualTo(2);
    assertThat(seen.get(Arrays.asList("a", "x"))).extracting(Event::metric).containsExactly(1L, 3L);
    assertThat(seen.get(Arrays.asList("a", null)))
        .extracting(Event::metric)
        .containsExactly(2L, 4L);
  }

  @Test
  void aForkIdleForTheConfiguredTimeIsFreedWithItsTimers() {
    int[] built = new int[1];
    Stream by =
        s.by(
            List.of("host"),
            new ForkExpiry(Duration.ofMinutes(10), false),
            f -> {
              built[0]++;
              // A periodic stage: its timers must go with the fork.
              return f.coalesce(Duration.ofMinutes(1), f.count(sink));
            });
    Event busy = Ev.at(0, "busy", "x", 1).toBuilder().ttl(3600f).build();
    Event quiet = Ev.at(0, "quiet", "x", 1).toBuilder().ttl(3600f).build();
    by.accept(busy);
    by.accept(quiet);
    for (int minute = 1; minute <= 10; minute++) {
      ctx.advanceTo(sec(minute * 60 - 1));
      by.accept(busy);
    }
    assertThat(((By) by).forkCount()).isEqualTo(2);

    ctx.advanceTo(sec(600));

    assertThat(((By) by).forkCount()).isEqualTo(1);
    assertThat(ctx.openChildren()).isEqualTo(1);
    // The busy fork's coalesce flush and idle check remain; nothing of the quiet fork.
    assertThat(ctx.pendingTimers()).isEqualTo(2);

    by.accept(quiet);
    assertThat(built[0]).isEqualTo(3);
    assertThat(((By) by).forkCount()).isEqualTo(2);
  }

  @Test
  void theIdleClockRestartsWithEachEvent() {
    Stream by =
        s.by(List.of("host"), new ForkExpiry(Duration.ofSeconds(10), false), f -> f.counter(sink));
    by.accept(Ev.at(0, "a", "x", 1));
    ctx.advanceTo(sec(9));
    by.accept(Ev.at(9, "a", "x", 1));
    ctx.advanceTo(sec(18.9));
    assertThat(((By) by).forkCount()).isEqualTo(1);
    ctx.advanceTo(sec(19));
    assertThat(((By) by).forkCount()).isZero();
    assertThat(ctx.pendingTimers()).isZero();

    by.accept(Ev.at(19, "a", "x", 1));
    assertThat(sink.metrics()).containsExactly(1L, 2L, 1L);
  }

  @Test
  void anExpiredEventPassesThroughItsForkAndThenFreesIt() {
    Stream by = s.by(List.of("host", "service"), f -> f.changed("state", "ok", sink));
    by.accept(Ev.state(0, "a", "critical"));
    by.accept(Ev.state(1, "b", "critical"));
    by.accept(Ev.expired(2, "a", "svc"));

    assertThat(sink.events)
        .extracting(Event::state)
        .containsExactly("critical", "critical", "expired");
    assertThat(((By) by).forkCount()).isEqualTo(1);

    by.accept(Ev.state(3, "a", "critical"));
    assertThat(sink.events).hasSize(4);
  }

  @Test
  void expiredEventsCanBeToldNotToFreeForks() {
    Stream by =
        s.by(List.of("host"), new ForkExpiry(Duration.ofHours(1), false), f -> f.counter(sink));
    by.accept(Ev.at(0, "a", "x", 1));
    by.accept(Ev.expired(1, "a", "y"));
    assertThat(((By) by).forkCount()).isEqualTo(1);
  }

  @Test
  void withoutAnIdleTimeForksStay() {
    Stream by = s.by(List.of("host"), new ForkExpiry(null, false), f -> f.counter(sink));
    by.accept(Ev.at(0, "a", "x", 1));
    ctx.advanceTo(sec(1_000_000));
    assertThat(((By) by).forkCount()).isEqualTo(1);
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void freeingAnOuterForkFreesTheNestedForksAndTheirTimers() {
    Stream by =
        s.by(
            List.of("host"),
            new ForkExpiry(Duration.ofSeconds(30), false),
            f ->
                f.by(
                    List.of("service"),
                    new ForkExpiry(Duration.ofHours(1), false),
                    g -> g.rate(Duration.ofSeconds(10), sink)));
    by.accept(Ev.at(0, "a", "x", 1));
    by.accept(Ev.at(0, "a", "y", 1));
    // Outer idle check, two inner idle checks, two rate ticks.
    assertThat(ctx.pendingTimers()).isEqualTo(5);

    ctx.advanceTo(sec(30));

    assertThat(((By) by).forkCount()).isZero();
    assertThat(ctx.pendingTimers()).isZero();
    assertThat(ctx.openChildren()).isZero();
  }

  @Test
  void aKeyFunctionWorksLikeFields() {
    Stream by =
        s.byKey(e -> e.host().substring(0, 1), new ForkExpiry(null, false), f -> f.counter(sink));
    by.accept(Ev.at(0, "web1", "x", 1));
    by.accept(Ev.at(0, "web2", "x", 1));
    by.accept(Ev.at(0, "db1", "x", 1));
    assertThat(sink.metrics()).containsExactly(1L, 2L, 1L);
  }
}
