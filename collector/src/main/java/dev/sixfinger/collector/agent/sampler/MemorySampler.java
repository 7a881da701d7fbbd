package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code memory/used-fraction}, {@code memory/available-bytes} and {@code memory/total-bytes} from
 * {@code /proc/meminfo}. "Used" is what is not available: MemAvailable is the kernel's estimate of
 * what can be allocated without swapping (free memory plus reclaimable caches), so page cache does
 * not count as used. It exists since Linux 3.14.
 */
final class MemorySampler implements Sampler {
  private final Path meminfoFile;

  MemorySampler(Path procRoot) {
    this.meminfoFile = procRoot.resolve("meminfo");
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile meminfo = ProcFile.read(meminfoFile);
    long total = meminfo.valueOf("MemTotal") * 1024;
    long available = meminfo.valueOf("MemAvailable") * 1024;
    if (total <= 0) {
      throw new IOException(meminfo.path() + ": MemTotal is " + total);
    }
    return List.of(
        Events.metric("memory/used-fraction", (double) (total - available) / total, nowMicros),
        Events.metric("memory/available-bytes", available, nowMicros),
        Events.metric("memory/total-bytes", total, nowMicros));
  }
}
