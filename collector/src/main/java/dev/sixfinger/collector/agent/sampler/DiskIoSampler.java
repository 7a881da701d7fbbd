package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Per whole disk, from {@code /proc/diskstats}: {@code diskio/read-bytes-rate} and {@code
 * diskio/write-bytes-rate} (diskstats counts 512-byte sectors whatever the device's sector size)
 * and {@code diskio/util}, the fraction of the time the device had I/O in flight (io_ticks), with
 * attribute {@code device}.
 *
 * <p>Partitions are left out (their I/O is the disk's), as are loop, ram and zram devices, cd-rom
 * and floppy drives, and device-mapper and md devices, whose I/O is counted again on the disks
 * underneath.
 */
final class DiskIoSampler implements Sampler {
  private static final List<String> SKIPPED_PREFIXES =
      List.of("loop", "ram", "zram", "dm-", "md", "sr", "fd");
  private static final int SECTOR_BYTES = 512;

  private final Path diskstatsFile;
  private final CounterRates counters = new CounterRates();

  DiskIoSampler(Path procRoot) {
    this.diskstatsFile = procRoot.resolve("diskstats");
  }

  @Override
  public String name() {
    return "diskio";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    ProcFile diskstats = ProcFile.read(diskstatsFile);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < diskstats.size(); i++) {
      String[] f = diskstats.fields(i);
      if (f.length >= 3) {
        names.add(f[2]);
      }
    }
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < diskstats.size(); i++) {
      if (diskstats.fields(i).length == 0) {
        continue;
      }
      String device = diskstats.fields(i, 3)[2];
      if (skipped(device) || isPartition(device, names)) {
        continue;
      }
      // major minor name reads merged sectors ms writes merged sectors ms in-flight io_ticks ...
      String[] f = diskstats.fields(i, 14);
      long sectorsRead = diskstats.number(i, f[5]);
      long sectorsWritten = diskstats.number(i, f[9]);
      long ioTicksMillis = diskstats.number(i, f[12]);

      OptionalDouble read =
          counters.perSecond(device + "/read", sectorsRead * SECTOR_BYTES, nowMicros);
      OptionalDouble write =
          counters.perSecond(device + "/write", sectorsWritten * SECTOR_BYTES, nowMicros);
      OptionalDouble busy = counters.perSecond(device + "/io_ticks", ioTicksMillis, nowMicros);
      if (read.isPresent()) {
        events.add(event("diskio/read-bytes-rate", read.getAsDouble(), nowMicros, device));
      }
      if (write.isPresent()) {
        events.add(event("diskio/write-bytes-rate", write.getAsDouble(), nowMicros, device));
      }
      if (busy.isPresent()) {
        // Milliseconds busy per second. The kernel's and our clocks tick apart, so a saturated
        // device can come out a little over 1; it cannot be busier than always.
        double util = Math.min(1.0, busy.getAsDouble() / 1000.0);
        events.add(event("diskio/util", util, nowMicros, device));
      }
    }
    counters.forgetOthersThan(nowMicros);
    return events;
  }

  private static Event event(String service, double value, long nowMicros, String device) {
    return Events.metric(service, value, nowMicros, "device", device);
  }

  private static boolean skipped(String device) {
    for (String prefix : SKIPPED_PREFIXES) {
      if (device.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A partition is a device of the same file named after another one plus a number: sda1 of sda, or
   * with a {@code p} when the disk's name ends in a digit: nvme0n1p1, mmcblk0p2.
   */
  static boolean isPartition(String device, Set<String> devices) {
    int end = device.length();
    while (end > 0 && Character.isDigit(device.charAt(end - 1))) {
      end--;
    }
    if (end == device.length() || end == 0) {
      return false;
    }
    String base = device.substring(0, end);
    if (devices.contains(base)) {
      return true;
    }
    return base.endsWith("p") && devices.contains(base.substring(0, base.length() - 1));
  }
}
