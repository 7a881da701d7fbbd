package dev.sixfinger.collector.agent.check;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check once as a child process: stdin from {@code /dev/null}, stdout and stderr read
 * separately on their own threads so that the child never blocks on a full pipe, and killed with
 * its whole process tree when it exceeds its timeout.
 */
public final class CheckRunner {
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
  public static final int MAX_STDERR_BYTES = 4 * 1024;

  /**
   * How long to wait for the output pipes to close after the child exited. A grandchild that
   * escaped into the background may hold them open for ever; we then report what we have.
   */
  private static final Duration PIPE_GRACE = Duration.ofSeconds(1);

  private static final File DEV_NULL = new File("/dev/null");

  private final int maxOutputBytes;

  public CheckRunner() {
    this(DEFAULT_MAX_OUTPUT_BYTES);
  }

  public CheckRunner(int maxOutputBytes) {
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive, was " + maxOutputBytes);
    }
    this.maxOutputBytes = maxOutputBytes;
  }

  /**
   * Runs the check and waits for it, at most its timeout (plus a short grace for its output).
   *
   * @throws InterruptedException when interrupted; the process tree is killed first
   */
  public CheckRun run(CheckDefinition check) throws InterruptedException {
    long started = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(check.argv()).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    if (check.workingDirectory() != null) {
      builder.directory(check.workingDirectory().toFile());
    }
    builder.environment().putAll(check.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return CheckRun.failedToStart(String.valueOf(e.getMessage()), since(started));
    }
    Capture out = Capture.start(process.getInputStream(), maxOutputBytes, check.name() + "-out");
    Capture err = Capture.start(process.getErrorStream(), MAX_STDERR_BYTES, check.name() + "-err");
    try {
      if (!process.waitFor(check.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(process);
        return CheckRun.timedOut(since(started));
      }
      out.await(PIPE_GRACE);
      err.await(PIPE_GRACE);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    return CheckRun.exited(
        process.exitValue(), out.text(), out.truncated(), err.text(), since(started));
  }

  /**
   * Kills the process and everything it started. The descendants are listed first: once their
   * parent is dead they are re-parented and no longer found as its descendants.
   */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Reads a stream to its end, keeping the first {@code cap} bytes and discarding the rest. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CountDownLatch done = new CountDownLatch(1);
    private boolean truncated;

    private Capture(InputStream in, int cap) {
      this.in = in;
      this.cap = cap;
    }

    static Capture start(InputStream in, int cap, String threadName) {
      Capture capture = new Capture(in, cap);
      Thread thread = new Thread(capture, "check-" + threadName);
      thread.setDaemon(true);
      thread.start();
      return capture;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (this) {
            int room = cap - kept.size();
            kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
            truncated |= n > room;
          }
        }
      } catch (IOException e) {
        // the pipe broke: what was read so far is all there is
      } finally {
        done.countDown();
      }
    }

    void await(Duration grace) throws InterruptedException {
      done.await(grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized String text() {
      return new String(kept.toByteArray(), UTF_8);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }
}
