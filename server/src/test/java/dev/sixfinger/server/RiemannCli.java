package dev.sixfinger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's riemann-client (riemann-c-client), a real Riemann client, run as a process. */
public final class RiemannCli {
  public record Result(int exitCode, String output) {}

  private RiemannCli() {}

  /** Runs {@code riemann-client ARGS... 127.0.0.1 PORT}. */
  public static Result run(int port, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("riemann-client");
    command.addAll(List.of(args));
    command.add("127.0.0.1");
    command.add(Integer.toString(port));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("riemann-client finished").isTrue();
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Like {@link #run}, and fails unless riemann-client exits with 0; returns its output. */
  public static String ok(int port, String... args) throws IOException, InterruptedException {
    Result r = run(port, args);
    assertThat(r.exitCode()).as("riemann-client exit code; output: %s", r.output()).isZero();
    return r.output();
  }
}
