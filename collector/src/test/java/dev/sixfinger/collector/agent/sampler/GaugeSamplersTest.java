package dev.sixfinger.collector.agent.sampler;

import static dev.sixfinger.collector.agent.sampler.ProcFixture.T0;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.copy;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.only;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.services;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samplers that report the current value of something, from the recorded t0 snapshot. */
class GaugeSamplersTest {
  @TempDir Path root;

  @BeforeEach
  void recordedHost() {
    copy("t0", root);
  }

  @Test
  void load() throws IOException {
    List<Event> events = new LoadSampler(root).sample(T0);
    assertThat(services(events)).containsExactly("load/1", "load/5", "load/15", "load/1-per-core");
    assertThat(only(events, "load/1").metric()).isEqualTo(2.0);
    assertThat(only(events, "load/5").metric()).isEqualTo(1.5);
    assertThat(only(events, "load/15").metric()).isEqualTo(1.0);
    // two cpu lines in stat
    assertThat(only(events, "load/1-per-core").metric()).isEqualTo(1.0);
  }

  @Test
  void memory() throws IOException {
    List<Event> events = new MemorySampler(root).sample(T0);
    // MemTotal 16000000 kB, MemAvailable 4000000 kB
    assertThat(only(events, "memory/used-fraction").metric()).isEqualTo(0.75);
    assertThat(only(events, "memory/available-bytes").metric()).isEqualTo(4_000_000L * 1024);
    assertThat(only(events, "memory/total-bytes").metric()).isEqualTo(16_000_000L * 1024);
  }

  @Test
  void swapUsedFraction() throws IOException {
    // SwapTotal 2000000 kB, SwapFree 1500000 kB
    assertThat(only(new SwapSampler(root).sample(T0), "swap/used-fraction").metric())
        .isEqualTo(0.25);
  }

  @Test
  void swapUsedFractionIsZeroWithoutSwap() throws IOException {
    ProcFixture.write(
        root,
        "meminfo",
        "MemTotal: 1000 kB\nMemAvailable: 10 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
    assertThat(only(new SwapSampler(root).sample(T0), "swap/used-fraction").metric())
        .isEqualTo(0.0);
  }

  @Test
  void processes() throws IOException {
    List<Event> events = new ProcessesSampler(root).sample(T0);
    assertThat(only(events, "processes/running").metric()).isEqualTo(3L);
    assertThat(only(events, "processes/blocked").metric()).isEqualTo(7L);
  }

  @Test
  void fileDescriptors() throws IOException {
    List<Event> events = new FileDescriptorSampler(root).sample(T0);
    // 3200 allocated, 0 unused, 100000 max
    assertThat(only(events, "fd/open").metric()).isEqualTo(3200L);
    assertThat(only(events, "fd/used-fraction").metric()).isEqualTo(0.032);
  }

  @Test
  void uptime() throws IOException {
    assertThat(only(new UptimeSampler(root).sample(T0), "uptime/seconds").metric())
        .isEqualTo(12345.67);
  }

  @Test
  void capacity() throws IOException {
    List<Event> events = new CapacitySampler(root).sample(T0);
    assertThat(only(events, "capacity/cpus").metric()).isEqualTo(2L);
    assertThat(only(events, "capacity/memory-bytes").metric()).isEqualTo(16_000_000L * 1024);
  }

  @Test
  void gaugesAreReportedOnTheFirstSampleWithTheSampleTimeAndNothingElse() throws IOException {
    for (Sampler sampler :
        List.of(
            new LoadSampler(root),
            new MemorySampler(root),
            new ProcessesSampler(root),
            new FileDescriptorSampler(root),
            new UptimeSampler(root),
            new CapacitySampler(root))) {
      assertThat(sampler.sample(T0))
          .as(sampler.name())
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.service()).startsWith(sampler.name() + "/");
                assertThat(e.timeMicros()).isEqualTo(T0);
                assertThat(e.host()).isNull();
                assertThat(e.state()).isNull();
                assertThat(e.ttl()).isNull();
                assertThat(e.attributes()).isEmpty();
              });
    }
  }
}
