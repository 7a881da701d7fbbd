package dev.sixfinger.collector.agent.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every sampler against this machine's real /proc and disks: no error, sane events. */
class RealProcSmokeTest {

  @Test
  void allSamplersWorkOnThisMachine() throws IOException {
    Assumptions.assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && Files.isReadable(HostSamplers.PROC.resolve("stat")),
        "needs a Linux /proc");
    List<Sampler> samplers = HostSamplers.standard();
    long first = Clock.system().nowMicros();
    for (Sampler s : samplers) {
      s.sample(first);
    }
    // Counters move by however much they moved; the time we claim only scales the rates.
    long second = first + 1_000_000;
    List<Event> events = new ArrayList<>();
    for (Sampler s : samplers) {
      events.addAll(s.sample(second));
    }

    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.service()).matches("[a-z]+/[a-z0-9-]+");
              assertThat(e.metric()).isNotNull();
              assertThat(Double.isFinite(e.metricAsDouble())).as(e.toString()).isTrue();
              assertThat(e.metricAsDouble()).as(e.toString()).isGreaterThanOrEqualTo(0.0);
              if (e.service().endsWith("-fraction") || e.service().startsWith("cpu/")) {
                assertThat(e.metricAsDouble()).as(e.toString()).isLessThanOrEqualTo(1.0);
              }
              assertThat(e.timeMicros()).isEqualTo(second);
            });
    assertThat(events)
        .extracting(Event::service)
        .contains(
            "load/1",
            "memory/used-fraction",
            "swap/used-fraction",
            "swap/in-rate",
            "processes/blocked",
            "fd/open",
            "uptime/seconds",
            "capacity/cpus",
            "capacity/memory-bytes");
  }
}
