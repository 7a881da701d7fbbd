package dev.sixfinger.collector.agent.sampler;

import dev.sixfinger.core.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per mounted filesystem, from {@code /proc/mounts} and statvfs: {@code disk/used-fraction} and
 * {@code disk/inodes-used-fraction}, with attribute {@code mount}.
 *
 * <p>The used fraction is computed like df's Use%: used / (used + available to users), so a disk
 * whose only free space is the root reserve shows 1. Filesystems without an inode limit (btrfs,
 * vfat) get no inode event.
 *
 * <p>Left out: pseudo and in-memory filesystems, overlay (container roots come and go by the
 * hundred), squashfs (always full by design), and network and FUSE filesystems, where statvfs can
 * hang for as long as the server or daemon does. A device mounted more than once (bind mounts,
 * btrfs subvolumes) is reported once, at its shortest mount point, like df does. A mount that fails
 * is skipped, logged once until it works again, and does not stop the others.
 */
final class DiskSampler implements Sampler {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSampler.class);

  static final Set<String> SKIPPED_TYPES =
      Set.of(
          // pseudo and in-memory
          "proc",
          "sysfs",
          "devtmpfs",
          "devpts",
          "tmpfs",
          "ramfs",
          "securityfs",
          "pstore",
          "debugfs",
          "tracefs",
          "configfs",
          "fusectl",
          "mqueue",
          "hugetlbfs",
          "bpf",
          "autofs",
          "binfmt_misc",
          "rpc_pipefs",
          "nsfs",
          "efivarfs",
          "selinuxfs",
          "nfsd",
          "overlay",
          "squashfs",
          // network
          "nfs",
          "nfs4",
          "cifs",
          "smb3",
          "smbfs",
          "ceph",
          "glusterfs",
          "9p",
          "afs",
          "fuse");

  private final Path mountsFile;
  private final FileSystemAccess fileSystems;
  private final Set<String> failing = new HashSet<>();

  DiskSampler(Path procRoot, FileSystemAccess fileSystems) {
    this.mountsFile = procRoot.resolve("mounts");
    this.fileSystems = fileSystems;
  }

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public List<Event> sample(long nowMicros) throws IOException {
    List<Event> events = new ArrayList<>();
    for (String mount : mountPoints(ProcFile.read(mountsFile))) {
      FileSystemAccess.Usage usage;
      try {
        usage = fileSystems.usage(mount);
        failing.remove(mount);
      } catch (IOException | RuntimeException e) {
        if (failing.add(mount)) {
          LOG.warn("no disk usage for {}: {}", mount, e.toString());
        }
        continue;
      }
      long used = usage.totalBytes() - usage.freeBytes();
      long usable = used + usage.availableBytes();
      if (usage.totalBytes() <= 0 || usable <= 0) {
        continue; // no blocks at all: a pseudo filesystem we did not list
      }
      events.add(
          Events.metric("disk/used-fraction", (double) used / usable, nowMicros, "mount", mount));
      if (usage.totalInodes() > 0) {
        double inodes = (double) (usage.totalInodes() - usage.freeInodes()) / usage.totalInodes();
        events.add(Events.metric("disk/inodes-used-fraction", inodes, nowMicros, "mount", mount));
      }
    }
    return events;
  }

  /** The mount points to report, in the order of the file. */
  static List<String> mountPoints(ProcFile mounts) throws IOException {
    // device -> its shortest mount point
    Map<String, String> byDevice = new LinkedHashMap<>();
    for (int i = 0; i < mounts.size(); i++) {
      String[] f = mounts.fields(i);
      if (f.length == 0) {
        continue;
      }
      // device mount-point type options dump pass
      f = mounts.fields(i, 3);
      String type = f[2];
      if (SKIPPED_TYPES.contains(type) || type.startsWith("fuse.") || type.startsWith("cgroup")) {
        continue;
      }
      String device = unescape(f[0]);
      String mount = unescape(f[1]);
      byDevice.merge(device, mount, (a, b) -> b.length() < a.length() ? b : a);
    }
    return new ArrayList<>(byDevice.values());
  }

  /**
   * The kernel writes space, tab, newline and backslash in mount fields as octal escapes ({@code
   * \040}); other bytes are raw, usually UTF-8.
   */
  static String unescape(String field) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        bytes.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.write(c); // ISO-8859-1 read: each char is one byte
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
