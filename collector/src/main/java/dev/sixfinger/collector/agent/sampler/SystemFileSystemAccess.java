package dev.sixfinger.collector.agent.sampler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space comes from {@link FileStore}, which is statvfs underneath. Java 17 has no way to read
 * statvfs's inode counts ({@code FileStore} knows no {@code unix:} inode attributes, and the
 * foreign-function API is still incubating), so inodes come from {@code stat -f -c '%c %d'}
 * (coreutils and busybox alike), one short process per mount and sample. When {@code stat} cannot
 * be run at all, inodes are reported unknown from then on and the disk sampler sends no inode
 * events; that is logged once. When it fails for one mount, that mount's inodes are unknown for
 * this sample (logged once per mount) but its space is still reported.
 */
final class SystemFileSystemAccess implements FileSystemAccess {
  private static final Logger LOG = LoggerFactory.getLogger(SystemFileSystemAccess.class);
  private static final long STAT_TIMEOUT_MILLIS = 5_000;
  private static final Pattern TWO_NUMBERS = Pattern.compile("\\d+ \\d+");

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private volatile boolean statUnavailable;

  @Override
  public Usage usage(String mountPoint) throws IOException {
    FileStore store = Files.getFileStore(Path.of(mountPoint));
    long total = store.getTotalSpace();
    long free = store.getUnallocatedSpace();
    long available = store.getUsableSpace();
    long[] inodes;
    try {
      inodes = inodes(mountPoint);
      warned.remove(mountPoint);
    } catch (IOException e) {
      if (warned.add(mountPoint)) {
        LOG.warn("no inode usage for {}: {}", mountPoint, e.getMessage());
      }
      inodes = new long[2];
    }
    return new Usage(total, free, available, inodes[0], inodes[1]);
  }

  /** Total and free inodes, or zeros when {@code stat} cannot tell. */
  private long[] inodes(String mountPoint) throws IOException {
    if (statUnavailable) {
      return new long[2];
    }
    Process process;
    try {
      process =
          new ProcessBuilder("stat", "-f", "-c", "%c %d", "--", mountPoint)
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      statUnavailable = true;
      LOG.warn("no inode usage for any disk: cannot run 'stat -f' ({})", e.getMessage());
      return new long[2];
    }
    try (InputStream out = process.getInputStream()) {
      if (!process.waitFor(STAT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "'stat -f " + mountPoint + "' took more than " + STAT_TIMEOUT_MILLIS + " ms");
      }
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0 || !TWO_NUMBERS.matcher(text).matches()) {
        throw new IOException("'stat -f " + mountPoint + "' failed: " + text);
      }
      int space = text.indexOf(' ');
      return new long[] {
        Long.parseLong(text.substring(0, space)), Long.parseLong(text.substring(space + 1))
      };
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running 'stat -f " + mountPoint + "'", e);
    }
  }
}
