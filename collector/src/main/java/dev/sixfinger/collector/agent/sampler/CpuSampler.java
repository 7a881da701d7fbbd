package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code cpu/user}, {@code cpu/system}, {@code cpu/iowait}, {@code cpu/steal} and {@code cpu/idle}:
 * fractions of all cpus' time since the previous sample, from the {@code cpu} line of {@code
 * /proc/stat}. They add up to 1: user includes nice, system includes irq and softirq, and guest
 * time, which the kernel already counts inside user and nice, is not added again.
 */
final class CpuSampler implements Sampler {
  private static final String[] SERVICES = {
    "cpu/user", "cpu/system", "cpu/iowait", "cpu/steal", "cpu/idle"
  };

  private final Path statFile;
  private final CounterRates counters = new CounterRates();

  CpuSampler(Path procRoot) {
    this.statFile = procRoot.resolve("stat");
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile stat = ProcFile.read(statFile);
    int line = stat.find("cpu");
    if (line < 0) {
      throw new IOException(stat.path() + ": no 'cpu' line");
    }
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice], in USER_HZ ticks
    String[] f = stat.fields(line, 9);
    long[] t = new long[8];
    for (int i = 0; i < t.length; i++) {
      t[i] = stat.number(line, f[i + 1]);
    }
    long[] buckets = {t[0] + t[1], t[2] + t[5] + t[6], t[4], t[7], t[3]};

    long total = 0;
    for (long b : buckets) {
      total += b;
    }
    // Every counter is read on every call, so that all of them stay primed.
    boolean reset = counters.delta("total", total, nowMicros).isEmpty();
    long[] deltas = new long[buckets.length];
    long sum = 0;
    for (int i = 0; i < buckets.length; i++) {
      OptionalLong d = counters.delta(SERVICES[i], buckets[i], nowMicros);
      // iowait can go down a little on a live system (see the kernel's proc documentation):
      // count that as no iowait rather than dropping the sample.
      deltas[i] = d.orElse(0);
      sum += deltas[i];
    }
    if (reset || sum == 0) {
      return List.of();
    }
    List<Event> events = new ArrayList<>(buckets.length);
    for (int i = 0; i < buckets.length; i++) {
      events.add(Events.metric(SERVICES[i], (double) deltas[i] / sum, nowMicros));
    }
    return events;
  }
}
