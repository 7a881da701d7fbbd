package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code load/1}, {@code load/5}, {@code load/15} from {@code /proc/loadavg}, and {@code
 * load/1-per-core}, the one-minute load divided by the number of online cpus, which is what can be
 * compared across hosts of different sizes.
 */
final class LoadSampler implements Sampler {
  private final Path loadavgFile;
  private final Path statFile;

  LoadSampler(Path procRoot) {
    this.loadavgFile = procRoot.resolve("loadavg");
    this.statFile = procRoot.resolve("stat");
  }

  @Override
  public String name() {
    return "load";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile loadavg = ProcFile.read(loadavgFile);
    if (loadavg.size() == 0) {
      throw new IOException(loadavg.path() + ": empty");
    }
    String[] f = loadavg.fields(0, 3);
    double load1 = loadavg.decimal(0, f[0]);
    int cpus = CapacitySampler.cpuCount(ProcFile.read(statFile));
    return List.of(
        Events.metric("load/1", load1, nowMicros),
        Events.metric("load/5", loadavg.decimal(0, f[1]), nowMicros),
        Events.metric("load/15", loadavg.decimal(0, f[2]), nowMicros),
        Events.metric("load/1-per-core", load1 / cpus, nowMicros));
  }
}
