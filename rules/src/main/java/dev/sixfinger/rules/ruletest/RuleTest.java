package dev.sixfinger.rules.ruletest;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.record.AlertRecord;
import java.util.List;
import java.util.Map;

/**
 * One parsed test case. Times are microseconds: {@code startMicros} since the epoch, every other
 * time an offset from it.
 *
 * @param rules the names of the rules the test runs, or null for every rule of the set
 * @param events the expanded events, in the order they are fed (by time, then as written)
 * @param endMicros where the clock stops after the last event
 * @param tickMicros how often the clock moves between events, as the live runner's idle ticks do
 * @param exact whether transitions that no expectation lists make the test fail
 */
public record RuleTest(
    String name,
    String file,
    int line,
    List<String> rules,
    long startMicros,
    long tickMicros,
    List<TimedEvent> events,
    long endMicros,
    List<Expectation> expect,
    boolean exact) {

  public RuleTest {
    rules = rules == null ? null : List.copyOf(rules);
    events = List.copyOf(events);
    expect = List.copyOf(expect);
  }

  /** An event fed at {@code atMicros} after the start. */
  public record TimedEvent(long atMicros, Event event) {}

  /** A transition the test expects, written at {@code line}:{@code column} of the test file. */
  public sealed interface Expectation permits AlertExpectation, HealthExpectation {
    long atMicros();

    int line();

    int column();
  }

  /**
   * An alert transition of {@code rule} whose labels contain {@code labels}; {@code summary} and
   * {@code hosts} are checked when not null.
   */
  public record AlertExpectation(
      long atMicros,
      String rule,
      AlertRecord.Status status,
      Map<String, String> labels,
      String summary,
      List<String> hosts,
      int line,
      int column)
      implements Expectation {}

  /** A change of a host's health action ({@code cordon}, {@code drain} or {@code none}). */
  public record HealthExpectation(long atMicros, String host, String action, int line, int column)
      implements Expectation {}
}
