package dev.sixfinger.alerting.dispatch;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.nlog.NotificationLog;
import dev.sixfinger.alerting.nlog.NotificationLogEntry;
import dev.sixfinger.alerting.nlog.NotificationLogJson;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.silence.Silence;
import dev.sixfinger.alerting.silence.SilenceJson;
import dev.sixfinger.alerting.silence.Silences;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.ManualClock;
import dev.sixfinger.core.record.AlertRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs a dispatcher on a manual clock the way the wiring will: feed records, tick every second,
 * "deliver" each notification (recording success unless told otherwise), keep the log records.
 */
final class Harness {
  static final long S = 1_000_000L;
  static final long T0 = 1_700_000_000L * S;

  /** A notification and the second (since T0) it was made. */
  record Sent(long second, Notification n) {
    List<String> firing() {
      return n.firing().stream().map(a -> a.labels().getOrDefault("host", a.alertname())).toList();
    }

    List<String> resolved() {
      return n.resolved().stream()
          .map(a -> a.labels().getOrDefault("host", a.alertname()))
          .toList();
    }
  }

  final ManualClock clock;
  final Silences silences;
  final Dispatcher dispatcher;
  final List<Sent> sent = new ArrayList<>();
  final List<byte[]> nlogRecords = new ArrayList<>();
  final List<AlertRecord> alertRecords = new ArrayList<>();
  final List<byte[]> silenceRecords = new ArrayList<>();
  private final AlertingConfig config;
  Predicate<Notification> failWhen = n -> false;

  Harness(AlertingConfig config) {
    this(config, T0, List.of(), List.of());
  }

  /** A restarted process: replays the log records first, as the wiring will. */
  Harness(AlertingConfig config, long now, List<byte[]> nlog, List<AlertRecord> alerts) {
    this.config = config;
    clock = new ManualClock(now);
    silences = new Silences(clock);
    NotificationLog log = new NotificationLog();
    nlog.forEach(b -> log.apply(NotificationLogJson.parse(b)));
    nlogRecords.addAll(nlog);
    dispatcher = new Dispatcher(config, clock, silences, log);
    alerts.forEach(this::feed);
  }

  /** A new process at the same time, rebuilt from everything this one wrote and read. */
  Harness restart() {
    Harness h = new Harness(config, clock.nowMicros(), nlogRecords, alertRecords);
    // the constructor re-added the alert records: keep one copy
    h.alertRecords.clear();
    h.alertRecords.addAll(alertRecords);
    silenceRecords.forEach(b -> h.silences.apply(SilenceJson.parse(b)));
    h.silenceRecords.addAll(silenceRecords);
    return h;
  }

  Silence silence(List<Matcher> matchers, long seconds) {
    Silence s =
        silences.create(
            matchers, "alice", "test", clock.nowMicros(), clock.nowMicros() + seconds * S);
    silenceRecords.add(SilenceJson.toBytes(s));
    return s;
  }

  void expire(String id) {
    silences.expire(id).ifPresent(s -> silenceRecords.add(SilenceJson.toBytes(s)));
  }

  long second() {
    return (clock.nowMicros() - T0) / S;
  }

  void feed(AlertRecord r) {
    alertRecords.add(r);
    dispatcher.accept(r);
  }

  void fire(Map<String, String> labels) {
    feed(Alerts.firing(labels, clock.nowMicros(), clock.nowMicros()));
  }

  void resolve(Map<String, String> labels, long startedAtSecond) {
    feed(Alerts.resolved(labels, T0 + startedAtSecond * S, clock.nowMicros()));
  }

  /** Ticks once per second up to {@code second} (since T0), delivering what comes out. */
  void runTo(long second) {
    while (second() < second) {
      clock.advance(Duration.ofSeconds(1));
      tick();
    }
  }

  void tick() {
    for (Notification n : dispatcher.tick(clock.nowMicros())) {
      sent.add(new Sent(second(), n));
      boolean fail = failWhen.test(n);
      NotificationLogEntry e = dispatcher.recordResult(n, !fail, fail ? "HTTP 500" : null);
      nlogRecords.add(NotificationLogJson.toBytes(e));
    }
  }

  List<Long> times() {
    return sent.stream().map(Sent::second).toList();
  }
}
