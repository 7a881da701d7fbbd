package dev.sixfinger.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's riemann-client (riemann-c-client): a real Riemann client that nobody here wrote. */
final class RiemannClientCli {
  private RiemannClientCli() {}

  /** Runs {@code riemann-client ARGS... 127.0.0.1 PORT} and returns its output. */
  static String run(int port, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("riemann-client");
    command.addAll(List.of(args));
    command.add("127.0.0.1");
    command.add(Integer.toString(port));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("riemann-client finished").isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("riemann-client exit code; output: %s", output).isZero();
    return output;
  }
}
