package dev.sixfinger.rules.ruletest;

import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.engine.RuleEngine;
import dev.sixfinger.rules.ruletest.RuleTest.AlertExpectation;
import dev.sixfinger.rules.ruletest.RuleTest.Expectation;
import dev.sixfinger.rules.ruletest.RuleTest.HealthExpectation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Runs a test case through a {@link RuleEngine} on a manual clock: the clock ticks every {@code
 * tick} from the start (as the live runner's idle ticks move it) and stops at each event's time to
 * feed it, then runs on to the end. What the engine emits is reduced to transitions: every alert
 * record, and each change of a host's health action (renewals of the same action are not changes).
 */
public final class RuleTestRunner {
  private RuleTestRunner() {}

  /** A transition the engine emitted: an alert record, or a host's new health action. */
  private record Observed(long atMicros, AlertRecord alert, String host, String action) {}

  public static RuleTestResult run(RuleSet rules, RuleTest test) {
    List<Observed> observed;
    try {
      observed = observe(only(rules, test.rules()), test);
    } catch (RuntimeException e) {
      return new RuleTestResult(test, false, List.of("the engine failed: " + e));
    }
    List<Expectation> expect = test.expect();
    int[] matchOf = new int[expect.size()]; // index into observed, or -1
    boolean[] used = new boolean[observed.size()];
    // Most specific expectations first, so that a loose one does not take another's transition.
    List<Integer> order =
        IntStream.range(0, expect.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> -specificity(expect.get(i))))
            .toList();
    for (int i : order) {
      matchOf[i] = -1;
      for (int j = 0; j < observed.size(); j++) {
        if (!used[j] && matches(expect.get(i), observed.get(j))) {
          used[j] = true;
          matchOf[i] = j;
          break;
        }
      }
    }
    boolean passed = true;
    for (int i = 0; i < expect.size(); i++) {
      passed &= matchOf[i] >= 0;
    }
    for (int j = 0; j < observed.size() && test.exact(); j++) {
      passed &= used[j];
    }
    if (passed) {
      return new RuleTestResult(test, true, List.of());
    }
    return new RuleTestResult(test, false, diff(test, observed, matchOf, used));
  }

  private static RuleSet only(RuleSet rules, List<String> names) {
    if (names == null) {
      return rules;
    }
    return new RuleSet(
        rules.rules().stream().filter(r -> names.contains(r.name())).toList(), List.of());
  }

  private static List<Observed> observe(RuleSet rules, RuleTest test) {
    long start = test.startMicros();
    List<Observed> observed = new ArrayList<>();
    Map<String, String> actions = new HashMap<>();
    RuleEngine engine =
        new RuleEngine(
            rules,
            start,
            EngineSettings.DEFAULTS,
            r -> {
              long at = r.timeMicros() - start;
              if (r instanceof AlertRecord a) {
                observed.add(new Observed(at, a, null, null));
              } else if (r instanceof HealthRecord h
                  && !h.action().equals(actions.getOrDefault(h.host(), HealthRecord.NONE))) {
                actions.put(h.host(), h.action());
                observed.add(new Observed(at, null, h.host(), h.action()));
              }
            });
    long[] nextTick = {test.tickMicros()};
    for (RuleTest.TimedEvent e : test.events()) {
      runTo(engine, test, nextTick, e.atMicros());
      engine.accept(e.event());
    }
    runTo(engine, test, nextTick, test.endMicros());
    return observed;
  }

  private static void runTo(RuleEngine engine, RuleTest test, long[] nextTick, long offset) {
    while (nextTick[0] <= offset) {
      engine.advanceTo(test.startMicros() + nextTick[0]);
      nextTick[0] += test.tickMicros();
    }
    engine.advanceTo(test.startMicros() + offset);
  }

  private static int specificity(Expectation x) {
    if (x instanceof AlertExpectation a) {
      return a.labels().size() + (a.summary() != null ? 1 : 0) + (a.hosts() != null ? 1 : 0);
    }
    return 0;
  }

  private static boolean matches(Expectation x, Observed o) {
    if (x.atMicros() != o.atMicros()) {
      return false;
    }
    if (x instanceof HealthExpectation h) {
      return o.alert() == null && h.host().equals(o.host()) && h.action().equals(o.action());
    }
    AlertExpectation a = (AlertExpectation) x;
    AlertRecord r = o.alert();
    return r != null
        && a.rule().equals(r.rule())
        && a.status() == r.status()
        && r.labels().entrySet().containsAll(a.labels().entrySet())
        && (a.summary() == null || a.summary().equals(r.summary()))
        && (a.hosts() == null || a.hosts().stream().sorted().toList().equals(sorted(r.hosts())));
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }

  private static List<String> diff(
      RuleTest test, List<Observed> observed, int[] matchOf, boolean[] used) {
    List<String> lines = new ArrayList<>();
    lines.add("expected:");
    if (test.expect().isEmpty()) {
      lines.add("  (nothing)");
    }
    for (int i = 0; i < test.expect().size(); i++) {
      Expectation x = test.expect().get(i);
      lines.add(row(matchOf[i] >= 0 ? "ok" : "MISSING", x.atMicros(), describe(x)));
    }
    lines.add(test.exact() ? "actual:" : "actual (expect_exactly: false):");
    if (observed.isEmpty()) {
      lines.add("  (nothing)");
    }
    for (int j = 0; j < observed.size(); j++) {
      String mark = used[j] ? "ok" : test.exact() ? "UNEXPECTED" : "";
      lines.add(row(mark, observed.get(j).atMicros(), describe(observed.get(j))));
    }
    return lines;
  }

  private static String row(String mark, long at, String what) {
    return String.format("  %-10s %-8s %s", mark, Offsets.format(at), what);
  }

  private static String describe(Expectation x) {
    if (x instanceof HealthExpectation h) {
      return "health " + h.host() + " " + h.action();
    }
    AlertExpectation a = (AlertExpectation) x;
    StringBuilder b = new StringBuilder("alert " + a.rule() + " " + a.status().wireName());
    if (!a.labels().isEmpty()) {
      b.append(' ').append(new TreeMap<>(a.labels()));
    }
    if (a.hosts() != null) {
      b.append(" hosts ").append(a.hosts());
    }
    if (a.summary() != null) {
      b.append(" \"").append(a.summary()).append('"');
    }
    return b.toString();
  }

  private static String describe(Observed o) {
    if (o.alert() == null) {
      return "health " + o.host() + " " + o.action();
    }
    AlertRecord r = o.alert();
    Map<String, String> labels = new TreeMap<>(r.labels());
    labels.remove("alertname"); // the rule's name, already shown
    StringBuilder b = new StringBuilder("alert " + r.rule() + " " + r.status().wireName());
    b.append(' ').append(labels);
    if (!r.hosts().equals(List.of(String.valueOf(r.labels().get("host"))))) {
      b.append(" hosts ").append(r.hosts());
    }
    if (r.summary() != null) {
      b.append(" \"").append(r.summary()).append('"');
    }
    return b.toString();
  }
}
