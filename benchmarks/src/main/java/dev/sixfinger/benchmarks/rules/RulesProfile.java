package dev.sixfinger.benchmarks.rules;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.config.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of a system under test goes: feeds it {@link AgentFeed}'s events as {@link
 * RulesBenchmark} does (batches made before they are fed) under Java Flight Recorder's execution
 * sampler (every millisecond; it samples between safepoints too), then prints the methods most
 * often on top of the feeding thread's stack (self) and anywhere in it (inclusive), leaving out the
 * samples taken while a batch was being made.
 *
 * <pre>
 * java -cp ... RulesProfile [--sut streams] [--hosts 1000] [--generated-rules 100]
 *     [--preroll-events 2500000] [--seconds 30] [--rules-dir config/rules] [--top 30]
 * </pre>
 */
public final class RulesProfile {
  private RulesProfile() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    String sut = o.getOrDefault("sut", "streams");
    int hosts = Integer.parseInt(o.getOrDefault("hosts", "1000"));
    int generated = Integer.parseInt(o.getOrDefault("generated-rules", "100"));
    long preroll = Long.parseLong(o.getOrDefault("preroll-events", "2500000"));
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "30"));
    int top = Integer.parseInt(o.getOrDefault("top", "30"));
    Path dir = Path.of(o.getOrDefault("rules-dir", "config/rules"));

    RuleSet set = RuleWorkload.ruleSet(dir, generated);
    RulesUnderTest rules = RulesUnderTest.create(sut, set, AgentFeed.startMicros());
    AgentFeed feed = new AgentFeed(hosts, RuleWorkload.generatedServices(generated), 42);
    for (long i = 0; i < preroll; i++) {
      rules.accept(feed.next());
    }

    Event[] batch = new Event[RulesBenchmark.BATCH];
    long fed = 0;
    long feedingNanos = 0;
    Path jfr = Files.createTempFile("rules-profile", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        feed.fill(batch);
        long start = System.nanoTime();
        for (Event event : batch) {
          rules.accept(event);
        }
        feedingNanos += System.nanoTime() - start;
        fed += batch.length;
      }
      recording.stop();
      recording.dump(jfr);
    }

    long worker = Thread.currentThread().getId();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      RecordedThread thread = e.getThread("sampledThread");
      RecordedStackTrace stack = e.getStackTrace();
      if (thread == null
          || thread.getJavaThreadId() != worker
          || stack == null
          || stack.getFrames().isEmpty()
          || making(stack)) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (seen.add(name)) {
          inclusive.merge(name, 1, Integer::sum);
        }
      }
    }
    Files.delete(jfr);

    System.out.printf(
        Locale.ROOT,
        "%s, %,d hosts, %d rules: %,d events in %.1f s of feeding = %,.0f events/s; %,d samples%n"
            + "%s%n",
        sut,
        hosts,
        set.rules().size(),
        fed,
        feedingNanos / 1e9,
        fed / (feedingNanos / 1e9),
        samples,
        rules.summary());
    print("self (top of the stack)", self, samples, top);
    print("inclusive (anywhere in the stack)", inclusive, samples, top);
  }

  /** A sample taken while the next batch was being made, which is not the system's time. */
  private static boolean making(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      if (frame.getMethod().getType().getName().equals(AgentFeed.class.getName())) {
        return true;
      }
    }
    return false;
  }

  private static String name(RecordedFrame frame) {
    String cls = frame.getMethod().getType().getName();
    int lambda = cls.indexOf("$$Lambda");
    if (lambda >= 0) {
      cls = cls.substring(0, lambda) + "$$Lambda";
    }
    return cls + "." + frame.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.printf("%n%s:%n", title);
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey());
    }
  }
}
