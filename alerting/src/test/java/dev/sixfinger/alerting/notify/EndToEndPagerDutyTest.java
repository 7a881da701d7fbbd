package dev.sixfinger.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.dispatch.Dispatcher;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.alerting.nlog.NotificationLog;
import dev.sixfinger.alerting.nlog.NotificationLogJson;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.silence.SilenceJson;
import dev.sixfinger.alerting.silence.Silences;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import dev.sixfinger.alerting.testing.ManualClock;
import dev.sixfinger.alerting.testing.PagerDutyTestServer;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loop the wiring will run (records in, tick, notify, record the result), against the test
 * PagerDuty, through a silence and a restart: every incident opened is closed, and nothing is paged
 * twice.
 */
class EndToEndPagerDutyTest {
  private static final long S = 1_000_000L;
  private static final long T0 = 1_700_000_000L * S;

  /** One process: its state and the topics it wrote, as JSON bytes. */
  private static final class Process {
    final ManualClock clock;
    final Silences silences;
    final Dispatcher dispatcher;
    final Notifier notifier;

    Process(AlertingConfig c, long now, Topics topics, Notifier notifier) {
      clock = new ManualClock(now);
      silences = new Silences(clock);
      NotificationLog log = new NotificationLog();
      topics.notifications.forEach(b -> log.apply(NotificationLogJson.parse(b)));
      topics.silences.forEach(b -> silences.apply(SilenceJson.parse(b)));
      dispatcher = new Dispatcher(c, clock, silences, log);
      topics.alerts.forEach(b -> dispatcher.accept((AlertRecord) RecordJson.parse(b)));
      this.notifier = notifier;
    }

    void run(Topics topics, Duration d) {
      long end = clock.nowMicros() + d.toNanos() / 1000;
      while (clock.nowMicros() < end) {
        clock.advance(Duration.ofSeconds(1));
        for (Notification n : dispatcher.tick(clock.nowMicros())) {
          NotifyResult r = notifier.notify(n);
          topics.notifications.add(
              NotificationLogJson.toBytes(dispatcher.recordResult(n, r.delivered(), r.detail())));
        }
      }
    }

    void alert(Topics topics, AlertRecord r) {
      topics.alerts.add(RecordJson.toBytes(r));
      dispatcher.accept(r);
    }
  }

  private static final class Topics {
    final List<byte[]> alerts = new ArrayList<>();
    final List<byte[]> silences = new ArrayList<>();
    final List<byte[]> notifications = new ArrayList<>();
  }

  @Test
  void silenceRestartAndResolveLeaveNoOpenIncidentAndNoDuplicate() throws Exception {
    try (PagerDutyTestServer pd = PagerDutyTestServer.start()) {
      AlertingConfig c =
          Configs.parse(
              """
              receivers:
                - name: pager
                  pagerduty: {routing_key: "${PD_KEY}", url: "%s"}
              route: {receiver: pager, group_by: [alertname]}
              """
                  .formatted(pd.baseUrl()));
      Notifier notifier =
          new Notifiers(
              FakeTime.sender(new FakeTime(), 3, 100, 6000),
              FakeTime.sender(new FakeTime(), 3, 100, 6000),
              new EmailNotifier(RetryPolicy.DEFAULT, new FakeTime()));
      Topics topics = new Topics();
      Map<String, String> n1 =
          Alerts.labels("alertname", "host-silent", "severity", "critical", "host", "n1");
      Map<String, String> n2 =
          Alerts.labels("alertname", "host-silent", "severity", "critical", "host", "n2");

      Process p = new Process(c, T0, topics, notifier);
      p.alert(topics, Alerts.firing(n1, T0, T0));
      p.alert(topics, Alerts.firing(n2, T0, T0));
      p.run(topics, Duration.ofMinutes(1));
      assertThat(pd.openIncidents()).hasSize(1);
      assertThat(pd.accepted()).hasSize(1);

      // Someone silences n1 while it is paged.
      var s =
          p.silences.create(
              List.of(Matcher.parse("host=\"n1\"")),
              "alice",
              "reimaging",
              p.clock.nowMicros(),
              p.clock.nowMicros() + 3600 * S);
      topics.silences.add(SilenceJson.toBytes(s));
      p.run(topics, Duration.ofMinutes(10));

      // n2 resolves; n1 (silenced) keeps the incident open: nothing for PagerDuty.
      p.alert(topics, Alerts.resolved(n2, T0, p.clock.nowMicros()));
      p.run(topics, Duration.ofMinutes(10));
      assertThat(pd.accepted()).hasSize(1);
      assertThat(pd.openIncidents()).hasSize(1);

      // Restart: everything rebuilt from the topics. No page.
      Process q = new Process(c, p.clock.nowMicros() + 60 * S, topics, notifier);
      q.run(topics, Duration.ofHours(1));
      assertThat(pd.accepted()).hasSize(1);

      // n1 resolves (its silence has ended meanwhile, it does not matter): the incident closes.
      q.alert(topics, Alerts.resolved(n1, T0, q.clock.nowMicros()));
      q.run(topics, Duration.ofMinutes(10));
      assertThat(pd.accepted())
          .extracting(PagerDutyTestServer.Accepted::action)
          .containsExactly("trigger", "resolve");
      assertThat(pd.openIncidents()).isEmpty();
      assertThat(pd.duplicates()).isZero();
    }
  }
}
