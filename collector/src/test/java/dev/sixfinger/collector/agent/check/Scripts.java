package dev.sixfinger.collector.agent.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes little /bin/sh scripts for tests and tells whether a process is gone. */
final class Scripts {
  private Scripts() {}

  static Path write(Path dir, String name, String body) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  static long pid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  /**
   * True when the process no longer exists or is a zombie. A killed process whose parent died is
   * re-parented to PID 1, which in a container may never reap it; a zombie holds no resources.
   */
  static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
