package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code processes/running} (runnable now) and {@code processes/blocked} (in uninterruptible sleep,
 * state D, usually waiting on a disk or a hung NFS server) from {@code /proc/stat}.
 */
final class ProcessesSampler implements Sampler {
  private final Path statFile;

  ProcessesSampler(Path procRoot) {
    this.statFile = procRoot.resolve("stat");
  }

  @Override
  public String name() {
    return "processes";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile stat = ProcFile.read(statFile);
    return List.of(
        Events.metric("processes/running", stat.valueOf("procs_running"), nowMicros),
        Events.metric("processes/blocked", stat.valueOf("procs_blocked"), nowMicros));
  }
}
