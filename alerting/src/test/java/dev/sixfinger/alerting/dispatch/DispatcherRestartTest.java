package dev.sixfinger.alerting.dispatch;

import static dev.sixfinger.alerting.dispatch.DispatcherTimelineTest.CONFIG;
import static dev.sixfinger.alerting.dispatch.DispatcherTimelineTest.swap;
import static dev.sixfinger.alerting.dispatch.Harness.S;
import static dev.sixfinger.alerting.dispatch.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.testing.Alerts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restarted process rebuilds from the alerts and the notification log, and re-pages nothing. */
class DispatcherRestartTest {
  private static Harness restart(Harness before, long atSecond) {
    return new Harness(CONFIG, T0 + atSecond * S, before.nlogRecords, before.alertRecords);
  }

  @Test
  void whatWasSentIsNotSentAgainAndTheResolveStillComes() {
    Harness before = new Harness(CONFIG);
    before.fire(swap("n1"));
    before.fire(swap("n2"));
    before.runTo(120);
    assertThat(before.sent).hasSize(1);

    Harness after = restart(before, 300);
    after.runTo(3 * 3600);
    assertThat(after.sent).isEmpty();
    after.resolve(swap("n1"), 0);
    after.runTo(3 * 3600 + 300);
    assertThat(after.sent).hasSize(1);
    assertThat(after.sent.get(0).resolved()).containsExactly("n1");
    assertThat(after.sent.get(0).firing()).containsExactly("n2");
    assertThat(after.sent.get(0).n().dedupKey()).isEqualTo(before.sent.get(0).n().dedupKey());
  }

  @Test
  void aResolveThatHappenedWhileDownIsSentAtOnce() {
    Harness before = new Harness(CONFIG);
    before.fire(swap("n1"));
    before.runTo(60);
    before.alertRecords.add(Alerts.resolved(swap("n1"), T0, T0 + 200 * S)); // while down

    Harness after = restart(before, 600);
    after.tick();
    assertThat(after.sent).hasSize(1);
    assertThat(after.sent.get(0).second()).isEqualTo(600);
    assertThat(after.sent.get(0).n().isFiring()).isFalse();
    after.runTo(3600);
    assertThat(after.sent).hasSize(1);
    assertThat(after.dispatcher.groups()).isEmpty();
  }

  @Test
  void theRepeatIntervalCountsFromTheLastNotificationBeforeTheRestart() {
    Harness before = new Harness(CONFIG);
    before.fire(swap("n1"));
    before.runTo(60); // sent at 30

    Harness after = restart(before, 3600);
    after.runTo(5 * 3600);
    assertThat(after.times()).hasSize(1);
    assertThat(after.times().get(0)).isBetween(30L + 4 * 3600, 30L + 4 * 3600 + 300);
  }

  @Test
  void anAlertThatWasNeverDeliveredIsSentAfterTheRestart() {
    Harness before = new Harness(CONFIG);
    before.failWhen = n -> true;
    before.fire(swap("n1"));
    before.runTo(60); // the one attempt failed
    assertThat(before.sent).hasSize(1);

    Harness after = restart(before, 120);
    after.tick();
    assertThat(after.times()).containsExactly(120L);
    assertThat(after.sent.get(0).firing()).containsExactly("n1");
  }

  @Test
  void oldResolvedHistoryNobodyIsOwedIsDroppedAtTheFirstFlush() {
    Harness before = new Harness(CONFIG);
    before.fire(swap("n1"));
    before.runTo(60);
    before.resolve(swap("n1"), 0);
    before.runTo(700);
    assertThat(before.sent).hasSize(2);

    Harness after = restart(before, 800);
    after.tick(); // the replayed firing record made a group; its first flush drops the resolve
    assertThat(after.dispatcher.groups()).isEmpty();
    after.runTo(1500);
    assertThat(after.sent).isEmpty();
    assertThat(List.copyOf(after.dispatcher.notificationLog().all())).hasSize(1);
  }

  @Test
  void anAlertWhoseFiringRecordAgedOutOfTheLogIsStillOwedItsResolve() {
    Harness before = new Harness(CONFIG);
    before.fire(swap("n1"));
    before.runTo(60);
    before.alertRecords.clear(); // retention removed the firing record

    Harness after = restart(before, 8 * 86_400);
    after.fire(swap("n2")); // same group: pages for n2, keeps n1 owed
    after.runTo(8 * 86_400 + 60);
    assertThat(after.sent).hasSize(1);
    assertThat(after.sent.get(0).firing()).containsExactly("n2");
    assertThat(after.sent.get(0).n().stillOpen()).containsExactly(Alerts.fingerprint(swap("n1")));
    after.resolve(swap("n2"), 8 * 86_400);
    after.runTo(8 * 86_400 + 400);
    assertThat(after.sent.get(1).n().isFiring()).isTrue(); // n1 keeps the incident open

    after.resolve(swap("n1"), 0); // its resolve finally comes
    after.runTo(8 * 86_400 + 800);
    assertThat(after.sent).hasSize(3);
    assertThat(after.sent.get(2).resolved()).containsExactly("n1");
    assertThat(after.sent.get(2).n().isFiring()).isFalse();
  }
}
