package dev.sixfinger.collector.agent.sampler;

import static dev.sixfinger.collector.agent.sampler.ProcFixture.T0;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.TEN_SECONDS;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.copy;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard set, and how samplers fail: alone, with the file and line in the message. */
class HostSamplersTest {
  private static final FileSystemAccess ONE_DISK =
      mount -> new FileSystemAccess.Usage(100, 50, 50, 10, 5);

  @TempDir Path root;

  @Test
  void standardSetCoversEveryGroupOnce() {
    assertThat(HostSamplers.standard(root, ONE_DISK))
        .extracting(Sampler::name)
        .containsExactly(
            "cpu",
            "load",
            "memory",
            "swap",
            "disk",
            "diskio",
            "net",
            "processes",
            "fd",
            "uptime",
            "capacity");
  }

  @Test
  void theRecordedHostGivesEveryDocumentedService() throws IOException {
    List<Sampler> samplers = HostSamplers.standard(root, ONE_DISK);
    copy("t0", root);
    for (Sampler s : samplers) {
      s.sample(T0);
    }
    copy("t1", root);
    List<Event> events = new ArrayList<>();
    for (Sampler s : samplers) {
      events.addAll(s.sample(T0 + TEN_SECONDS));
    }
    String doc =
        Files.readString(
            Path.of("src/main/java/dev/sixfinger/collector/agent/sampler/SERVICES.md"));
    assertThat(events.stream().map(Event::service).distinct())
        .hasSize(31)
        .allSatisfy(service -> assertThat(doc).contains("`" + service + "`"));
  }

  @Test
  void aSamplerThatFailsLeavesTheOthersWorking() throws IOException {
    // only /proc/stat exists
    copy("t0", root);
    Files.delete(root.resolve("meminfo"));
    Map<String, String> failures = new HashMap<>();
    List<Event> events = new ArrayList<>();
    for (Sampler s : HostSamplers.standard(root, ONE_DISK)) {
      try {
        events.addAll(s.sample(T0));
      } catch (IOException e) {
        failures.put(s.name(), e.getMessage());
      }
    }
    assertThat(failures).containsOnlyKeys("memory", "swap", "capacity");
    assertThat(failures.get("memory"))
        .isEqualTo("cannot read " + root.resolve("meminfo") + ": no such file");
    assertThat(events).extracting(Event::service).contains("load/1", "processes/blocked");
  }

  @Test
  void parseErrorsNameTheFileAndTheLine() throws IOException {
    write(root, "stat", "cpu  12 0 x 4 5 6 7 8 9 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n");
    assertThatThrownBy(() -> new CpuSampler(root).sample(T0))
        .isInstanceOf(IOException.class)
        .hasMessage(
            root.resolve("stat") + ":1: 'x' is not an integer: 'cpu  12 0 x 4 5 6 7 8 9 0'");

    write(root, "diskstats", " 8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n 8 16 sdb 1 2 3\n");
    assertThatThrownBy(() -> new DiskIoSampler(root).sample(T0))
        .hasMessageStartingWith(root.resolve("diskstats") + ":2: expected at least 14 fields");

    write(root, "net/dev", "h1\nh2\n  eth0: 1 2 3\n");
    assertThatThrownBy(() -> new NetworkSampler(root).sample(T0))
        .hasMessageStartingWith(root.resolve("net/dev") + ":3: expected 16 counters");

    write(root, "loadavg", "1.0 zero 3.0 1/2 3\n");
    write(root, "stat", "cpu0 1\n");
    assertThatThrownBy(() -> new LoadSampler(root).sample(T0))
        .hasMessage(root.resolve("loadavg") + ":1: 'zero' is not a number: '1.0 zero 3.0 1/2 3'");
  }

  @Test
  void missingLinesNameTheFileAndWhatIsMissing() throws IOException {
    write(root, "meminfo", "MemTotal: 1000 kB\nMemFree: 10 kB\n");
    assertThatThrownBy(() -> new MemorySampler(root).sample(T0))
        .hasMessage(root.resolve("meminfo") + ": no 'MemAvailable' line");

    write(root, "stat", "intr 1 2 3\n");
    assertThatThrownBy(() -> new CapacitySampler(root).sample(T0))
        .hasMessage(root.resolve("stat") + ": no 'cpuN' lines");
  }

  @Test
  void longLinesAreCutInMessages() throws IOException {
    write(root, "stat", "procs_running " + "9".repeat(300) + "\n");
    assertThatThrownBy(() -> new ProcessesSampler(root).sample(T0))
        .hasMessageEndingWith("...'")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300 + 150));
  }
}
