package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code uptime/seconds} from {@code /proc/uptime}; a drop means the host rebooted. */
final class UptimeSampler implements Sampler {
  private final Path uptimeFile;

  UptimeSampler(Path procRoot) {
    this.uptimeFile = procRoot.resolve("uptime");
  }

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile uptime = ProcFile.read(uptimeFile);
    if (uptime.size() == 0) {
      throw new IOException(uptime.path() + ": empty");
    }
    String[] f = uptime.fields(0, 1);
    return List.of(Events.metric("uptime/seconds", uptime.decimal(0, f[0]), nowMicros));
  }
}
