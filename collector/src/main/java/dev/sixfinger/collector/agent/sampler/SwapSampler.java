package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code swap/used-fraction} from {@code /proc/meminfo} (0 without swap), and {@code swap/in-rate}
 * and {@code swap/out-rate}, pages swapped in and out per second, from the {@code pswpin} and
 * {@code pswpout} counters of {@code /proc/vmstat}. A host can have swap in use and be fine; it is
 * swapping heavily when pages move, which is what the rates show.
 */
final class SwapSampler implements Sampler {
  private final Path meminfoFile;
  private final Path vmstatFile;
  private final CounterRates counters = new CounterRates();

  SwapSampler(Path procRoot) {
    this.meminfoFile = procRoot.resolve("meminfo");
    this.vmstatFile = procRoot.resolve("vmstat");
  }

  @Override
  public String name() {
    return "swap";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile meminfo = ProcFile.read(meminfoFile);
    long total = meminfo.valueOf("SwapTotal");
    long free = meminfo.valueOf("SwapFree");
    ProcFile vmstat = ProcFile.read(vmstatFile);
    long in = vmstat.valueOf("pswpin");
    long out = vmstat.valueOf("pswpout");

    List<Event> events = new ArrayList<>(3);
    double used = total > 0 ? (double) (total - free) / total : 0.0;
    events.add(Events.metric("swap/used-fraction", used, nowMicros));
    OptionalDouble inRate = counters.perSecond("pswpin", in, nowMicros);
    OptionalDouble outRate = counters.perSecond("pswpout", out, nowMicros);
    if (inRate.isPresent()) {
      events.add(Events.metric("swap/in-rate", inRate.getAsDouble(), nowMicros));
    }
    if (outRate.isPresent()) {
      events.add(Events.metric("swap/out-rate", outRate.getAsDouble(), nowMicros));
    }
    return events;
  }
}
