package dev.sixfinger.collector.agent.sampler;

import java.nio.file.Path;
import java.util.List;

/** The agent's standard set of host samplers. */
public final class HostSamplers {
  /** Where the kernel's files are on a normal host. */
  public static final Path PROC = Path.of("/proc");

  private HostSamplers() {}

  /** All samplers, reading {@code /proc} and the real filesystems. */
  public static List<Sampler> standard() {
    return standard(PROC, FileSystemAccess.system());
  }

  /**
   * All samplers, reading the kernel's files under {@code procRoot} (a fixture in tests) and disk
   * usage through {@code fileSystems}. Each sampler reads its own files and keeps its own counters,
   * so one that fails does not affect the others; the caller catches per sampler.
   */
  public static List<Sampler> standard(Path procRoot, FileSystemAccess fileSystems) {
    return List.of(
        new CpuSampler(procRoot),
        new LoadSampler(procRoot),
        new MemorySampler(procRoot),
        new SwapSampler(procRoot),
        new DiskSampler(procRoot, fileSystems),
        new DiskIoSampler(procRoot),
        new NetworkSampler(procRoot),
        new ProcessesSampler(procRoot),
        new FileDescriptorSampler(procRoot),
        new UptimeSampler(procRoot),
        new CapacitySampler(procRoot));
  }
}
