package dev.sixfinger.collector.agent.sampler;

import java.io.IOException;

/**
 * Asks the operating system how full a mounted filesystem is (statvfs). An interface so that tests
 * of the disk sampler do not depend on the machine's disks.
 */
public interface FileSystemAccess {

  /**
   * Space and inodes of one filesystem, as statvfs reports them.
   *
   * @param totalBytes size of the filesystem
   * @param freeBytes bytes not allocated, including those reserved for root
   * @param availableBytes bytes an unprivileged user can still allocate
   * @param totalInodes number of inodes, 0 when unknown or unlimited (btrfs, vfat)
   * @param freeInodes inodes not in use
   */
  record Usage(
      long totalBytes, long freeBytes, long availableBytes, long totalInodes, long freeInodes) {}

  /** The usage of the filesystem mounted at {@code mountPoint}. */
  Usage usage(String mountPoint) throws IOException;

  /**
   * The real one: bytes from {@link java.nio.file.FileStore}, inodes from {@code stat -f} (see
   * {@link SystemFileSystemAccess} for why).
   */
  static FileSystemAccess system() {
    return new SystemFileSystemAccess();
  }
}
