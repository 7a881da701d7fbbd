package dev.sixfinger.server.cli;

import ch.qos.logback.classic.Level;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.EngineRecord;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.core.time.Durations;
import dev.sixfinger.rules.config.RuleSet;
import dev.sixfinger.rules.engine.EngineSettings;
import dev.sixfinger.rules.replay.Backtest;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;

/**
 * {@code ./sixfinger replay --from TIME}: a backtest. Runs a rule set over the retained {@code
 * sixfinger.events} and prints what it would have emitted, without touching the live engine.
 */
public final class ReplayCommand extends Command {
  static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  static final String TIME_FORMS =
      "an ISO-8601 instant such as 2026-01-01T00:00:00Z, now, or a time ago such as -2h, -30m or"
          + " -1d";

  public ReplayCommand() {
    super(
        "replay",
        "Backtest: run rules over the events in Kafka between two times and print what they"
            + " would have emitted (nothing is written)");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser
        .addArgument("--rules")
        .setDefault("config/rules")
        .metavar("DIR")
        .help("directory of *.yml rule files");
    subparser
        .addArgument("--from")
        .required(true)
        .metavar("TIME")
        .help("start of the range: " + TIME_FORMS);
    subparser
        .addArgument("--to")
        .metavar("TIME")
        .help("end of the range, exclusive (default: the end of the log now); same forms");
    subparser
        .addArgument("--bootstrap")
        .setDefault(DEFAULT_BOOTSTRAP)
        .metavar("HOST:PORT")
        .help("Kafka to read from");
    subparser
        .addArgument("--json")
        .action(Arguments.storeTrue())
        .help("print the records as JSON lines, as the engine writes them to Kafka");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) {
    // Kafka's clients log every failed connection attempt; the command says it once, clearly.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka"))
        .setLevel(Level.ERROR);
    int status = run(ns, System.out, System.err, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The arguments, checked: what to replay. */
  record Args(Path rules, Instant from, Instant to, String bootstrap, boolean json) {}

  /**
   * @throws IllegalArgumentException naming the argument and the forms it accepts
   */
  static Args args(Namespace ns, Instant now) {
    Instant from = parseTime(ns.getString("from"), "--from", now);
    Instant to = ns.getString("to") == null ? null : parseTime(ns.getString("to"), "--to", now);
    if (from.isAfter(now)) {
      throw new IllegalArgumentException("--from " + from + " is in the future");
    }
    if (to != null && !to.isAfter(from)) {
      throw new IllegalArgumentException("--to " + to + " must be after --from " + from);
    }
    String bootstrap = ns.getString("bootstrap").trim();
    if (bootstrap.isEmpty()) {
      throw new IllegalArgumentException("--bootstrap must be HOST:PORT[,HOST:PORT...]");
    }
    return new Args(
        Path.of(ns.getString("rules")), from, to, bootstrap, Boolean.TRUE.equals(ns.get("json")));
  }

  /**
   * An ISO-8601 instant (with Z or an offset), {@code now}, or a time ago: {@code -2h}, {@code
   * now-30m}.
   *
   * @param name the argument, for the error message
   */
  static Instant parseTime(String text, String name, Instant now) {
    String t = text == null ? "" : text.trim();
    if (t.equals("now")) {
      return now;
    }
    String ago = t.startsWith("now-") ? t.substring(4) : t.startsWith("-") ? t.substring(1) : null;
    try {
      if (ago != null) {
        return now.minus(Durations.parse(ago, name));
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " '" + text + "' is not a time: use " + TIME_FORMS, e);
    }
  }

  /**
   * Argparse reads {@code --from -2h} as two options; this joins such a value to its option ({@code
   * --from=-2h}) so that relative times can be written the natural way.
   */
  public static String[] joinRelativeTimes(String[] args) {
    if (args.length == 0 || !args[0].equals("replay")) {
      return args;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      boolean timeOption = args[i].equals("--from") || args[i].equals("--to");
      if (timeOption && i + 1 < args.length && args[i + 1].startsWith("-")) {
        out.add(args[i] + "=" + args[++i]);
      } else {
        out.add(args[i]);
      }
    }
    return out.toArray(String[]::new);
  }

  static int run(Namespace ns, PrintStream out, PrintStream err, Instant now) {
    Args a;
    try {
      a = args(ns, now);
    } catch (IllegalArgumentException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    }
    RuleSet rules = RuleSet.load(a.rules());
    if (!rules.ok()) {
      rules.errors().forEach(err::println);
      err.println(
          "replay: "
              + rules.errors().size()
              + " errors in the rules of "
              + a.rules()
              + "; nothing replayed");
      return 1;
    }
    err.println(
        "replay: "
            + rules.rules().size()
            + " rules over "
            + Topics.EVENTS
            + " at "
            + a.bootstrap()
            + " from "
            + a.from()
            + (a.to() == null ? " to the end of the log" : " to " + a.to()));
    Printer printer = new Printer(a.json() ? out : null, a.json() ? null : out);
    long started = System.nanoTime();
    Backtest.Summary s;
    try {
      s =
          Backtest.run(
              a.bootstrap(),
              // A backtest writes nothing, not even a topic that a typo would auto-create.
              Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
              rules,
              a.from(),
              a.to(),
              EngineSettings.DEFAULTS,
              printer::accept,
              records ->
                  err.printf(
                      "replay: %,d records read (%d s)%n",
                      records, (System.nanoTime() - started) / 1_000_000_000L));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      err.println(
          "replay: could not reach Kafka at "
              + a.bootstrap()
              + " ("
              + e.getMessage()
              + "). Start the server (./sixfinger server runs an embedded Kafka on "
              + DEFAULT_BOOTSTRAP
              + "), or point --bootstrap at the cluster it uses.");
      return 1;
    } catch (KafkaException e) {
      err.println(
          "replay: could not reach Kafka at "
              + a.bootstrap()
              + ": "
              + rootMessage(e)
              + ". Check --bootstrap.");
      return 1;
    } catch (IllegalStateException e) {
      // Typically: the events topic does not exist, as no server has written to this cluster.
      err.println("replay: " + e.getMessage() + " (Kafka at " + a.bootstrap() + ")");
      return 1;
    }
    PrintStream summaryOut = a.json() ? err : out;
    summaryOut.printf(
        "replayed %s to %s: %,d records, %,d events, %,d alert transitions, %,d health changes%n",
        JsonCodec.formatMicros(s.fromMicros()),
        JsonCodec.formatMicros(s.toMicros()),
        s.records(),
        s.events(),
        printer.alerts,
        printer.healthChanges);
    return 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /**
   * Prints alert transitions and health changes, one line each: as JSON ({@link RecordJson}) or as
   * text. A health record that only renews what is in force is not a change and is left out.
   */
  static final class Printer {
    private final PrintStream json;
    private final PrintStream text;
    private final Map<String, List<String>> health = new HashMap<>();
    long alerts;
    long healthChanges;

    Printer(PrintStream json, PrintStream text) {
      this.json = json;
      this.text = text;
    }

    void accept(EngineRecord r) {
      if (r instanceof HealthRecord h) {
        List<String> state = new ArrayList<>(List.of(h.action()));
        h.decisions().forEach(d -> state.add(d.fingerprint()));
        if (state.equals(health.getOrDefault(h.host(), List.of(HealthRecord.NONE)))) {
          return;
        }
        health.put(h.host(), state);
        healthChanges++;
      } else {
        alerts++;
      }
      if (json != null) {
        json.println(new String(RecordJson.toBytes(r), StandardCharsets.UTF_8));
      } else {
        text.println(line(r));
      }
    }

    static String line(EngineRecord r) {
      String time = JsonCodec.formatMicros(r.timeMicros());
      if (r instanceof AlertRecord a) {
        Map<String, String> labels = new TreeMap<>(a.labels());
        labels.remove("alertname");
        StringBuilder b = new StringBuilder();
        labels.forEach(
            (k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        if (!labels.containsKey("host") && !a.hosts().isEmpty()) {
          b.append(" hosts=").append(String.join(",", a.hosts()));
        }
        return String.format(
            "%s  %-8s  %s  %s  %s",
            time, a.status().name(), a.rule(), b, a.summary() == null ? "" : a.summary());
      }
      HealthRecord h = (HealthRecord) r;
      StringBuilder why = new StringBuilder();
      for (HealthRecord.Decision d : h.decisions()) {
        why.append(why.length() == 0 ? "" : "; ").append(d.rule()).append(": ").append(d.reason());
      }
      return String.format(
          "%s  %-8s  %s  %s%s",
          time, "HEALTH", h.host(), h.action(), why.length() == 0 ? "" : "  (" + why + ")");
    }
  }
}
