package dev.sixfinger.collector.agent.sampler;

import static dev.sixfinger.collector.agent.sampler.ProcFixture.T0;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.copy;
import static dev.sixfinger.collector.agent.sampler.ProcFixture.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSamplerTest {
  @TempDir Path root;

  /** Answers from a table, and records what it was asked. */
  private final List<String> asked = new ArrayList<>();

  private final Map<String, FileSystemAccess.Usage> table =
      Map.of(
          // ext4 with a root reserve: 1050 total, 250 free of which 200 usable; inodes 10% used
          "/", new FileSystemAccess.Usage(1050, 250, 200, 1000, 900),
          // inode counts unknown
          "/data disk", new FileSystemAccess.Usage(1000, 400, 400, 0, 0));

  private final FileSystemAccess fake =
      mount -> {
        asked.add(mount);
        FileSystemAccess.Usage usage = table.get(mount);
        if (usage == null) {
          throw new IOException("no such mount: " + mount);
        }
        return usage;
      };

  @BeforeEach
  void recordedHost() {
    copy("t0", root);
  }

  @Test
  void reportsRealFilesystemsOnceEachAtTheirShortestMountPoint() throws IOException {
    List<Event> events = new DiskSampler(root, fake).sample(T0);

    // not proc, sysfs, tmpfs, cgroup2, overlay, squashfs, nfs4, fuse.sshfs; /dev/vda1 only at /
    assertThat(asked).containsExactly("/", "/data disk");
    // df: used (1050 - 250) / (used + available 200)
    assertThat(only(events, "disk/used-fraction", "/").metric()).isEqualTo(0.8);
    assertThat(only(events, "disk/inodes-used-fraction", "/").metric()).isEqualTo(0.1);
    assertThat(only(events, "disk/used-fraction", "/data disk").metric()).isEqualTo(0.6);
    assertThat(events).filteredOn(e -> e.service().equals("disk/inodes-used-fraction")).hasSize(1);
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.attributes()).containsOnlyKeys("mount");
              assertThat(e.timeMicros()).isEqualTo(T0);
            });
  }

  @Test
  void aMountThatFailsDoesNotStopTheOthers() throws IOException {
    ProcFixture.write(
        root,
        "mounts",
        "/dev/sdz /broken ext4 rw 0 0\n/dev/vda1 / ext4 rw 0 0\n/dev/sdy /gone xfs rw 0 0\n");
    List<Event> events = new DiskSampler(root, fake).sample(T0);
    assertThat(events).extracting(e -> e.attributes().get("mount")).containsOnly("/");
  }

  @Test
  void filesystemWithoutBlocksIsSkipped() throws IOException {
    ProcFixture.write(root, "mounts", "none /weird someweirdfs rw 0 0\n");
    FileSystemAccess empty = mount -> new FileSystemAccess.Usage(0, 0, 0, 0, 0);
    assertThat(new DiskSampler(root, empty).sample(T0)).isEmpty();
  }

  @Test
  void mountPointEscapesAreDecoded() {
    assertThat(DiskSampler.unescape("/data\\040disk")).isEqualTo("/data disk");
    assertThat(DiskSampler.unescape("/a\\011b\\134c")).isEqualTo("/a\tb\\c");
    assertThat(DiskSampler.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
    // raw UTF-8 bytes, as read byte per char
    assertThat(DiskSampler.unescape("/m\u00c3\u00bcsli")).isEqualTo("/m\u00fcsli");
  }

  @Test
  void realFilesystemAccessReadsTheRoot() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getProperty("os.name").startsWith("Linux"), "statvfs of / on Linux");
    FileSystemAccess.Usage usage = FileSystemAccess.system().usage("/");
    assertThat(usage.totalBytes()).isPositive();
    assertThat(usage.availableBytes()).isBetween(0L, usage.totalBytes());
    assertThat(usage.freeInodes()).isBetween(0L, usage.totalInodes());
  }
}
