package dev.sixfinger.collector.agent.sampler;

import static dev.sixfinger.collector.agent.sampler.ProcFixture.T0;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.TEN_SECONDS;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.copy;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.only;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.services;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samplers that difference counters, over the recorded t0, t1 (10 s later) and reset snapshots. */
class RateSamplersTest {
  private static final long T1 = T0 + TEN_SECONDS;
  private static final long T2 = T1 + TEN_SECONDS;

  @TempDir Path root;

  /** Samples t0, then t1, and returns what the t1 sample gave. */
  private List<Event> t0ThenT1(Sampler sampler) throws IOException {
    copy("t0", root);
    assertThat(sampler.sample(T0)).as("first sample only primes").isEmpty();
    copy("t1", root);
    return sampler.sample(T1);
  }

  @Test
  void swapRatesArePagesPerSecond() throws IOException {
    SwapSampler swap = new SwapSampler(root);
    copy("t0", root);
    assertThat(services(swap.sample(T0))).containsExactly("swap/used-fraction");
    copy("t1", root);
    List<Event> events = swap.sample(T1);

    // pswpin 1000 -> 3500, pswpout 5000 -> 5100, over 10 s
    assertThat(only(events, "swap/in-rate").metric()).isEqualTo((3500.0 - 1000) / 10);
    assertThat(only(events, "swap/out-rate").metric()).isEqualTo((5100.0 - 5000) / 10);
    assertThat(only(events, "swap/in-rate").timeMicros()).isEqualTo(T1);
  }

  @Test
  void swapRatesSkipTheSampleWhereCountersWentBackwardsThenResume() throws IOException {
    SwapSampler swap = new SwapSampler(root);
    copy("t0", root);
    swap.sample(T0);
    copy("reset", root);
    assertThat(services(swap.sample(T1))).containsExactly("swap/used-fraction");
    copy("t1", root);
    List<Event> events = swap.sample(T2);
    // re-primed at the reset values: pswpin 10 -> 3500, pswpout 20 -> 5100
    assertThat(only(events, "swap/in-rate").metric()).isEqualTo((3500.0 - 10) / 10);
    assertThat(only(events, "swap/out-rate").metric()).isEqualTo((5100.0 - 20) / 10);
  }

  @Test
  void cpuFractionsOfTheTicksBetweenSamples() throws IOException {
    List<Event> events = t0ThenT1(new CpuSampler(root));
    // 2000 ticks passed: user 400 + nice 100 (guest 50 is inside user already),
    // system 150 + irq 20 + softirq 30, idle 1000, iowait 200, steal 100
    assertThat(services(events))
        .containsExactly("cpu/user", "cpu/system", "cpu/iowait", "cpu/steal", "cpu/idle");
    assertThat(only(events, "cpu/user").metric()).isEqualTo(0.25);
    assertThat(only(events, "cpu/system").metric()).isEqualTo(0.1);
    assertThat(only(events, "cpu/iowait").metric()).isEqualTo(0.1);
    assertThat(only(events, "cpu/steal").metric()).isEqualTo(0.05);
    assertThat(only(events, "cpu/idle").metric()).isEqualTo(0.5);
  }

  @Test
  void cpuAfterAResetSkipsOneSampleThenStartsFromTheNewCounters() throws IOException {
    CpuSampler cpu = new CpuSampler(root);
    copy("t0", root);
    cpu.sample(T0);
    copy("reset", root);
    assertThat(cpu.sample(T1)).isEmpty();
    copy("t1", root);
    List<Event> events = cpu.sample(T2);
    // from reset to t1: user 1390+100, system 645+20+30, iowait 398, steal 100, idle 8920
    double total = 1490 + 695 + 398 + 100 + 8920;
    assertThat(only(events, "cpu/user").metricAsDouble()).isCloseTo(1490 / total, within(1e-12));
    assertThat(only(events, "cpu/idle").metricAsDouble()).isCloseTo(8920 / total, within(1e-12));
    assertThat(events.stream().mapToDouble(Event::metricAsDouble).sum())
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void cpuIowaitThatDipsCountsAsZero() throws IOException {
    CpuSampler cpu = new CpuSampler(root);
    ProcFixture.write(root, "stat", "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 1 1 1 1 1 1 1\n");
    cpu.sample(T0);
    ProcFixture.write(root, "stat", "cpu  200 0 200 1500 90 0 0 0 0 0\ncpu0 1 1 1 1 1 1 1 1\n");
    List<Event> events = cpu.sample(T1);
    // user +100, system +100, idle +800, iowait -10 counted as 0
    assertThat(only(events, "cpu/iowait").metric()).isEqualTo(0.0);
    assertThat(only(events, "cpu/user").metric()).isEqualTo(0.1);
    assertThat(only(events, "cpu/idle").metric()).isEqualTo(0.8);
  }

  @Test
  void diskIoRatesForWholeDisksOnly() throws IOException {
    List<Event> events = t0ThenT1(new DiskIoSampler(root));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.attributes()).containsOnlyKeys("device"))
        .extracting(e -> e.attributes().get("device"))
        .containsOnly("vda", "nvme0n1");

    // vda: 20480 sectors read, 40960 written, busy 2500 ms, in 10 s
    assertThat(only(events, "diskio/read-bytes-rate", "vda").metric())
        .isEqualTo(20480.0 * 512 / 10);
    assertThat(only(events, "diskio/write-bytes-rate", "vda").metric())
        .isEqualTo(40960.0 * 512 / 10);
    assertThat(only(events, "diskio/util", "vda").metric()).isEqualTo(0.25);
    // nvme0n1: nothing read, 2048 sectors written, io_ticks +12000 ms: more than 10 s, capped
    assertThat(only(events, "diskio/read-bytes-rate", "nvme0n1").metric()).isEqualTo(0.0);
    assertThat(only(events, "diskio/write-bytes-rate", "nvme0n1").metric())
        .isEqualTo(2048.0 * 512 / 10);
    assertThat(only(events, "diskio/util", "nvme0n1").metric()).isEqualTo(1.0);
  }

  @Test
  void diskIoResetOfOneDiskDoesNotAffectAnother() throws IOException {
    DiskIoSampler diskio = new DiskIoSampler(root);
    copy("t0", root);
    diskio.sample(T0);
    copy("reset", root);
    List<Event> events = diskio.sample(T1);
    // vda's counters went backwards; nvme0n1's did not change
    assertThat(events).noneMatch(e -> "vda".equals(e.attributes().get("device")));
    assertThat(only(events, "diskio/util", "nvme0n1").metric()).isEqualTo(0.0);
    assertThat(events).hasSize(3);
  }

  @Test
  void partitionsAreRecognisedByTheirDisk() {
    Set<String> devices =
        Set.of("sda", "sda1", "sdaa", "nvme0n1", "nvme0n1p2", "mmcblk0", "mmcblk0p1");
    assertThat(DiskIoSampler.isPartition("sda1", devices)).isTrue();
    assertThat(DiskIoSampler.isPartition("nvme0n1p2", devices)).isTrue();
    assertThat(DiskIoSampler.isPartition("mmcblk0p1", devices)).isTrue();
    assertThat(DiskIoSampler.isPartition("sda", devices)).isFalse();
    assertThat(DiskIoSampler.isPartition("sdaa", devices)).isFalse();
    assertThat(DiskIoSampler.isPartition("nvme0n1", devices)).isFalse();
    assertThat(DiskIoSampler.isPartition("mmcblk0", devices)).isFalse();
  }

  @Test
  void networkRatesPerInterfaceWithoutLoopback() throws IOException {
    List<Event> events = t0ThenT1(new NetworkSampler(root));
    // eth1 appeared in t1: it is primed, not reported; lo is never reported
    assertThat(events)
        .extracting(e -> e.attributes().get("interface"))
        .containsOnly("eth0")
        .hasSize(4);
    // rx 5000000 -> 17500000 (t1 glues it to the colon, as old kernels do), tx 2000000 ->
    // 3000000, rx errors 3 -> 8, tx errors 0 -> 0, in 10 s
    assertThat(only(events, "net/rx-bytes-rate").metric()).isEqualTo(12_500_000.0 / 10);
    assertThat(only(events, "net/tx-bytes-rate").metric()).isEqualTo(1_000_000.0 / 10);
    assertThat(only(events, "net/rx-errors-rate").metric()).isEqualTo(0.5);
    assertThat(only(events, "net/tx-errors-rate").metric()).isEqualTo(0.0);
  }

  @Test
  void networkCountersThatWentBackwardsGiveNoRate() throws IOException {
    NetworkSampler net = new NetworkSampler(root);
    copy("t0", root);
    net.sample(T0);
    copy("reset", root);
    // eth0's byte and rx-error counters went backwards; its tx errors stayed at 0
    assertThat(services(net.sample(T1))).containsExactly("net/tx-errors-rate");
    copy("t1", root);
    List<Event> events = net.sample(T2);
    assertThat(only(events, "net/rx-bytes-rate", "eth0").metric())
        .isEqualTo((17_500_000.0 - 100) / 10);
  }

  @Test
  void everyRateEventIsADoubleAtTheSampleTime() throws IOException {
    for (Sampler sampler :
        List.of(
            new CpuSampler(root),
            new SwapSampler(root),
            new DiskIoSampler(root),
            new NetworkSampler(root))) {
      copy("t0", root);
      sampler.sample(T0);
      copy("t1", root);
      assertThat(sampler.sample(T1))
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.metric()).isInstanceOf(Double.class);
                assertThat(e.metricAsDouble()).isBetween(0.0, 1e12);
                assertThat(e.timeMicros()).isEqualTo(T1);
                assertThat(e.host()).isNull();
                assertThat(e.ttl()).isNull();
              });
    }
  }
}
