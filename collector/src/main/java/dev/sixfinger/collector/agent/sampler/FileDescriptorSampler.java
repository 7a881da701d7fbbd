package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code fd/open} and {@code fd/used-fraction} (open over the system-wide maximum) from {@code
 * /proc/sys/fs/file-nr}: allocated, allocated-but-unused (always 0 since Linux 2.6), maximum.
 */
final class FileDescriptorSampler implements Sampler {
  private final Path fileNrFile;

  FileDescriptorSampler(Path procRoot) {
    this.fileNrFile = procRoot.resolve("sys/fs/file-nr");
  }

  @Override
  public String name() {
    return "fd";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile fileNr = ProcFile.read(fileNrFile);
    if (fileNr.size() == 0) {
      throw new IOException(fileNr.path() + ": empty");
    }
    String[] f = fileNr.fields(0, 3);
    long open = fileNr.number(0, f[0]) - fileNr.number(0, f[1]);
    long max = fileNr.number(0, f[2]);
    if (max <= 0) {
      throw fileNr.error(0, "maximum is not positive");
    }
    return List.of(
        Events.metric("fd/open", open, nowMicros),
        Events.metric("fd/used-fraction", (double) open / max, nowMicros));
  }
}
