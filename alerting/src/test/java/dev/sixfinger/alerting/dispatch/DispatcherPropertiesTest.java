package dev.sixfinger.alerting.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.alerting.config.AlertingConfig;
import dev.sixfinger.alerting.nlog.NotificationLogEntry;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.silence.Silence;
import dev.sixfinger.alerting.testing.Alerts;
import dev.sixfinger.alerting.testing.Configs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories of firing, resolving, silencing, inhibiting and restarting: whatever happens, a
 * receiver is never told the same thing twice (within repeat_interval), and once everything has
 * resolved every receiver has been told so (no orphaned incident).
 */
class DispatcherPropertiesTest {
  static final AlertingConfig CONFIG =
      Configs.parse(
          """
          receivers:
            - name: pager
              pagerduty: {routing_key: "${PD_KEY}"}
            - name: chat
              webhook: {url: "http://chat.example/"}
          route:
            receiver: pager
            group_by: [alertname]
            group_wait: 30s
            group_interval: 2m
            repeat_interval: 1h
            routes:
              - {matchers: [severity="warning"], receiver: chat, group_by: ['...'], continue: true}
              - {matchers: ['alertname=~".+"'], receiver: pager}
          inhibit_rules:
            - source_matchers: [alertname="fleet-swap"]
              target_matchers: [alertname="swap-in-high"]
          flapping: {enabled: false}
          """);

  enum Kind {
    FIRE,
    RESOLVE,
    SILENCE,
    EXPIRE,
    RESTART
  }

  record Op(int gapSeconds, Kind kind, int alert) {}

  static final List<Map<String, String>> ALERTS =
      List.of(
          Alerts.labels("alertname", "swap-in-high", "severity", "warning", "host", "n1"),
          Alerts.labels("alertname", "swap-in-high", "severity", "warning", "host", "n2"),
          Alerts.labels("alertname", "fleet-swap", "severity", "critical"),
          Alerts.labels("alertname", "disk-full", "severity", "error", "host", "n1"));

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 400),
                Arbitraries.of(Kind.values()),
                Arbitraries.integers().between(0, ALERTS.size() - 1))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 150)
  void neverTheSameThingTwiceAndEveryIncidentCloses(@ForAll("histories") List<Op> ops) {
    Harness h = new Harness(CONFIG);
    List<Harness.Sent> sent = new ArrayList<>();
    Map<Integer, Long> firingSince = new HashMap<>();
    List<Silence> silences = new ArrayList<>();
    for (Op op : ops) {
      h.runTo(h.second() + op.gapSeconds());
      Map<String, String> labels = ALERTS.get(op.alert());
      switch (op.kind()) {
        case FIRE -> {
          if (!firingSince.containsKey(op.alert())) {
            firingSince.put(op.alert(), h.second());
            h.fire(labels);
          }
        }
        case RESOLVE -> {
          Long since = firingSince.remove(op.alert());
          if (since != null) {
            h.resolve(labels, since);
          }
        }
        case SILENCE ->
            silences.add(
                h.silence(List.of(Matcher.equal("alertname", labels.get("alertname"))), 900));
        case EXPIRE -> {
          if (!silences.isEmpty()) {
            h.expire(silences.remove(0).id());
          }
        }
        case RESTART -> {
          sent.addAll(h.sent);
          h = h.restart();
        }
      }
    }
    // Everything resolves, and time passes.
    for (Map.Entry<Integer, Long> e : firingSince.entrySet()) {
      h.resolve(ALERTS.get(e.getKey()), e.getValue());
    }
    h.runTo(h.second() + 3600);
    sent.addAll(h.sent);

    for (NotificationLogEntry e : h.dispatcher.notificationLog().all()) {
      assertThat(e.firing())
          .as("still believed firing by %s in %s", e.receiver(), e.groupKey())
          .isEmpty();
    }
    Map<String, List<Harness.Sent>> byGroup = new HashMap<>();
    for (Harness.Sent s : sent) {
      byGroup
          .computeIfAbsent(s.n().receiverName() + "|" + s.n().groupKey(), k -> new ArrayList<>())
          .add(s);
    }
    for (List<Harness.Sent> group : byGroup.values()) {
      group.sort(Comparator.comparingLong(Harness.Sent::second));
      Set<String> told = new LinkedHashSet<>();
      long last = Long.MIN_VALUE;
      for (Harness.Sent s : group) {
        Notification n = s.n();
        boolean news =
            n.firing().stream().anyMatch(a -> !told.contains(a.fingerprint()))
                || !n.resolved().isEmpty();
        boolean repeat = !n.firing().isEmpty() && s.second() - last >= 3600;
        assertThat(news || repeat)
            .as("notification at %d tells nothing new: %s", s.second(), n)
            .isTrue();
        // What the receiver believes: what it was told fires, less what it was told resolved.
        for (var a : n.resolved()) {
          assertThat(told).as("resolve of an alert never told").contains(a.fingerprint());
          told.remove(a.fingerprint());
        }
        n.firing().forEach(a -> told.add(a.fingerprint()));
        assertThat(n.firingAfter()).as("the log's view is the receiver's").isEqualTo(told);
        last = s.second();
      }
      assertThat(told).as("left open: %s", group.get(group.size() - 1).n()).isEmpty();
    }
  }
}
