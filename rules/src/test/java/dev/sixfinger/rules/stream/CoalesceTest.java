package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalesceTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final BatchSink batches = new BatchSink();
  private final Stream coalesce = s.coalesce(Duration.ofSeconds(10), batches);

  @Test
  void emitsTheLatestEventPerHostAndServiceEveryPeriod() {
    coalesce.accept(Ev.at(0, "a", "x", 1));
    coalesce.accept(Ev.at(0, "b", "x", 2));
    coalesce.accept(Ev.at(0, "a", "y", 3));
    coalesce.accept(Ev.at(1, "a", "x", 4));
    ctx.advanceTo(sec(9));
    assertThat(batches.batches).isEmpty();

    ctx.advanceTo(sec(10));
    assertThat(batches.metrics()).containsExactly(List.of(4L, 2L, 3L));

    coalesce.accept(Ev.at(12, "b", "x", 5));
    ctx.advanceTo(sec(20));
    assertThat(batches.metrics()).endsWith(List.of(4L, 5L, 3L));
  }

  @Test
  void anExpiredEventRemovesItsKeyAtOnce() {
    coalesce.accept(Ev.at(0, "a", "x", 1));
    coalesce.accept(Ev.at(0, "b", "x", 2));
    coalesce.accept(Ev.expired(1, "a", "x"));
    ctx.advanceTo(sec(10));
    assertThat(batches.metrics()).containsExactly(List.of(2L));
  }

  @Test
  void entriesPastTheirTtlAreDroppedAndTheFlushStopsWhenNoneAreLeft() {
    coalesce.accept(Ev.at(0, "a", "x", 1).toBuilder().ttl(15f).build());
    coalesce.accept(Ev.at(0, "b", "x", 2).toBuilder().ttl(25f).build());
    ctx.advanceTo(sec(10));
    ctx.advanceTo(sec(20));
    ctx.advanceTo(sec(30));
    assertThat(batches.metrics()).containsExactly(List.of(1L, 2L), List.of(2L));
    assertThat(ctx.pendingTimers()).isZero();
    assertThat(((Coalesce) coalesce).size()).isZero();

    coalesce.accept(Ev.at(31, "c", "x", 3));
    ctx.advanceTo(sec(41));
    assertThat(batches.metrics()).endsWith(List.of(3L));
  }

  @Test
  void keysCanBeOtherFields() {
    Stream byHost = s.coalesce(Duration.ofSeconds(1), List.of("host"), batches);
    byHost.accept(Ev.at(0, "a", "x", 1));
    byHost.accept(Ev.at(0, "a", "y", 2));
    ctx.advanceTo(sec(1));
    assertThat(batches.batches)
        .singleElement()
        .satisfies(b -> assertThat(b).extracting(Event::service).containsExactly("y"));
  }

  @Test
  void aSnapshotKeepsEntriesAndTheNextFlush() {
    coalesce.accept(Ev.at(0, "a", "x", 1));
    Object snap = Snapshots.snapshot(coalesce);

    StreamContext later = new StreamContext(sec(3));
    BatchSink other = new BatchSink();
    Stream fresh = new Streams(later).coalesce(Duration.ofSeconds(10), other);
    Snapshots.restore(fresh, snap);
    later.advanceTo(sec(10));
    assertThat(other.metrics()).containsExactly(List.of(1L));
  }
}
