package dev.sixfinger.collector.agent.check;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one {@link CheckRun} into events. The agent adds host, tags, configured attributes and ttl.
 *
 * <p>The check's own event: service = the check name; state from the exit code the Nagios way
 * ({@code 0} ok, {@code 1} warning, {@code 2} critical, anything else unknown); description = the
 * first stdout line before {@code |}; metric = the first performance data value, if any (its unit
 * in attribute {@code unit}). Attributes: {@code exit-code}, {@code duration-ms}, and when present
 * {@code stderr}, {@code long-output}, {@code perfdata-malformed} (the unreadable items) and {@code
 * perfdata-over-limit} (how many items beyond {@link PerfData#MAX_ITEMS} were dropped).
 *
 * <p>Each performance data item also becomes an event: service {@code <check name>/<label>}, the
 * check's state and time, metric = its value (none for {@code U}), and attributes {@code unit},
 * {@code warn}, {@code crit}, {@code min}, {@code max} as written, when present. Thresholds are
 * passed on, not evaluated: the check's exit code already did that.
 *
 * <p>A run that timed out or could not start gives only the check's event, state critical.
 */
public final class CheckEvents {
  public static final int MAX_DESCRIPTION_CHARS = 1024;
  static final int MAX_ATTRIBUTE_CHARS = 1024;

  private CheckEvents() {}

  /** The Nagios plugin state for an exit code. */
  public static String state(int exitCode) {
    return switch (exitCode) {
      case 0 -> "ok";
      case 1 -> "warning";
      case 2 -> "critical";
      default -> "unknown";
    };
  }

  public static List<Event> toEvents(CheckDefinition check, CheckRun run, long timeMicros) {
    Event.Builder main =
        Event.builder()
            .service(check.name())
            .timeMicros(timeMicros)
            .attribute("duration-ms", Long.toString(run.duration().toMillis()));
    if (run.startError() != null) {
      return List.of(
          main.state("critical").description(cap("cannot start: " + run.startError())).build());
    }
    if (run.timedOut()) {
      return List.of(
          main.state("critical").description("timed out after " + format(check.timeout())).build());
    }
    String state = state(run.exitCode());
    main.state(state).attribute("exit-code", Integer.toString(run.exitCode()));
    if (!run.stderr().isBlank()) {
      main.attribute("stderr", cap(run.stderr().strip()));
    }

    // The cut may fall inside a line: drop that partial line so that no perfdata value is read
    // half-written. When the first line itself is cut, keep its text but read no perfdata.
    String stdout = run.stdout();
    boolean perfUsable = true;
    if (run.stdoutTruncated()) {
      int lastNewline = stdout.lastIndexOf('\n');
      if (lastNewline >= 0) {
        stdout = stdout.substring(0, lastNewline);
      } else {
        perfUsable = false;
      }
    }
    PluginOutput output = PluginOutput.parse(stdout);
    String description;
    if (stdout.isBlank()) {
      description = "(no output)";
    } else if (output.description().isEmpty()) {
      description = "(no status text)";
    } else {
      description = cap(output.description(), MAX_DESCRIPTION_CHARS);
    }
    if (run.stdoutTruncated()) {
      description += " [output truncated]";
    }
    main.description(description);
    if (!output.longText().isEmpty()) {
      main.attribute("long-output", cap(output.longText()));
    }

    PerfData.Parsed perf =
        perfUsable
            ? PerfData.parse(output.perfData())
            : new PerfData.Parsed(List.of(), List.of(), 0);
    if (!perf.malformed().isEmpty()) {
      main.attribute("perfdata-malformed", cap(String.join(" ", perf.malformed())));
    }
    if (perf.overLimit() > 0) {
      main.attribute("perfdata-over-limit", Integer.toString(perf.overLimit()));
    }
    List<Event> events = new ArrayList<>(1 + perf.items().size());
    if (!perf.items().isEmpty()) {
      PerfData.Item first = perf.items().get(0);
      main.metric(first.value());
      if (first.unit() != null) {
        main.attribute("unit", first.unit());
      }
    }
    events.add(main.build());
    for (PerfData.Item item : perf.items()) {
      Event.Builder e =
          Event.builder()
              .service(check.name() + "/" + item.label())
              .state(state)
              .metric(item.value())
              .timeMicros(timeMicros);
      putIfPresent(e, "unit", item.unit());
      putIfPresent(e, "warn", item.warn());
      putIfPresent(e, "crit", item.crit());
      putIfPresent(e, "min", item.min());
      putIfPresent(e, "max", item.max());
      events.add(e.build());
    }
    return events;
  }

  /** "10s" for whole seconds, else "1500ms". */
  static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static void putIfPresent(Event.Builder e, String key, String value) {
    if (value != null) {
      e.attribute(key, cap(value));
    }
  }

  private static String cap(String s) {
    return cap(s, MAX_ATTRIBUTE_CHARS);
  }

  private static String cap(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
