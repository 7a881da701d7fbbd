package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code capacity/cpus} (online cpus: the {@code cpuN} lines of {@code /proc/stat}) and {@code
 * capacity/memory-bytes} (MemTotal), which the scheduler uses to size what it places on the host.
 * Sent every interval like everything else, so that it expires with the host.
 */
final class CapacitySampler implements Sampler {
  private final Path statFile;
  private final Path meminfoFile;

  CapacitySampler(Path procRoot) {
    this.statFile = procRoot.resolve("stat");
    this.meminfoFile = procRoot.resolve("meminfo");
  }

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    long cpus = cpuCount(ProcFile.read(statFile));
    long memory = ProcFile.read(meminfoFile).valueOf("MemTotal") * 1024;
    return List.of(
        Events.metric("capacity/cpus", cpus, nowMicros),
        Events.metric("capacity/memory-bytes", memory, nowMicros));
  }

  /** Number of {@code cpuN} lines in {@code /proc/stat}; offline cpus have none. */
  static int cpuCount(ProcFile stat) throws IOException {
    int cpus = 0;
    for (int i = 0; i < stat.size(); i++) {
      String line = stat.line(i);
      if (line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
        cpus++;
      }
    }
    if (cpus == 0) {
      throw new IOException(stat.path() + ": no 'cpuN' lines");
    }
    return cpus;
  }
}
