package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamContextTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final List<String> ran = new ArrayList<>();

  @Test
  void timersRunInTimeOrderThenInScheduleOrderEachAtItsOwnTime() {
    ctx.schedule(sec(3), () -> ran.add("c@" + ctx.nowMicros()));
    ctx.schedule(sec(1), () -> ran.add("a@" + ctx.nowMicros()));
    ctx.schedule(sec(1), () -> ran.add("b@" + ctx.nowMicros()));

    ctx.advanceTo(sec(5));

    assertThat(ran).containsExactly("a@" + sec(1), "b@" + sec(1), "c@" + sec(3));
    assertThat(ctx.nowMicros()).isEqualTo(sec(5));
  }

  @Test
  void futureTimersWaitAndTimeNeverGoesBack() {
    ctx.schedule(sec(10), () -> ran.add("late"));
    ctx.advanceTo(sec(9.999999));
    assertThat(ran).isEmpty();

    ctx.advanceTo(sec(2));
    assertThat(ctx.nowMicros()).isEqualTo(sec(9.999999));

    ctx.advanceTo(sec(10));
    assertThat(ran).containsExactly("late");
    assertThat(ctx.pendingTimers()).isZero();
  }

  @Test
  void aTimerRescheduledInsideAnAdvanceCatchesUpTickByTick() {
    Runnable[] tick = new Runnable[1];
    tick[0] =
        () -> {
          ran.add(String.valueOf((ctx.nowMicros() - sec(0)) / 1_000_000));
          ctx.schedule(ctx.nowMicros() + 1_000_000, tick[0]);
        };
    ctx.schedule(sec(1), tick[0]);

    ctx.advanceTo(sec(5.5));

    assertThat(ran).containsExactly("1", "2", "3", "4", "5");
    assertThat(ctx.pendingTimers()).isEqualTo(1);
  }

  @Test
  void aTimerInThePastRunsAtTheNextAdvance() {
    ctx.advanceTo(sec(10));
    ctx.schedule(sec(5), () -> ran.add("at " + ctx.nowMicros()));
    ctx.advanceTo(sec(10));
    assertThat(ran).containsExactly("at " + sec(10));
  }

  @Test
  void cancelledTimersNeverRun() {
    Timer t = ctx.schedule(sec(1), () -> ran.add("x"));
    assertThat(t.isPending()).isTrue();
    t.cancel();
    t.cancel();
    assertThat(t.isPending()).isFalse();
    assertThat(ctx.pendingTimers()).isZero();
    ctx.advanceTo(sec(2));
    assertThat(ran).isEmpty();
  }

  @Test
  void closingAScopeCancelsItsTimersAndItsDescendantsButNotItsParents() {
    StreamContext scope = ctx.child();
    StreamContext nested = scope.child();
    ctx.schedule(sec(1), () -> ran.add("root"));
    scope.schedule(sec(1), () -> ran.add("scope"));
    nested.schedule(sec(1), () -> ran.add("nested"));
    assertThat(ctx.pendingTimers()).isEqualTo(3);
    assertThat(ctx.openChildren()).isEqualTo(1);

    scope.close();

    assertThat(ctx.pendingTimers()).isEqualTo(1);
    assertThat(ctx.openChildren()).isZero();
    assertThat(nested.isClosed()).isTrue();
    assertThat(scope.schedule(sec(1), () -> ran.add("after close")).isPending()).isFalse();
    assertThat(scope.child().isClosed()).isTrue();
    ctx.advanceTo(sec(2));
    assertThat(ran).containsExactly("root");
  }

  @Test
  void aFailingTaskIsLoggedAndTheOthersStillRun() {
    ctx.schedule(
        sec(1),
        () -> {
          throw new IllegalStateException("boom");
        });
    ctx.schedule(sec(1), () -> ran.add("second"));
    ctx.advanceTo(sec(1));
    assertThat(ran).containsExactly("second");
  }

  @Test
  void advancingFromInsideATimerIsRefused() {
    List<RuntimeException> errors = new ArrayList<>();
    ctx.schedule(
        sec(1),
        () -> {
          try {
            ctx.advanceTo(sec(3));
          } catch (IllegalStateException e) {
            errors.add(e);
          }
        });
    ctx.advanceTo(sec(2));
    assertThat(errors).hasSize(1);
    assertThat(ctx.nowMicros()).isEqualTo(sec(2));
  }

  @Test
  void startsAtTheClocksTime() {
    assertThat(StreamContext.startingAt(() -> 42L).nowMicros()).isEqualTo(42L);
  }
}
