package dev.sixfinger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.scheduler.simulator.SimulationConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulateSchedulerCommandTest {

  @Test
  void printsOneRowPerPolicyAndTheSameTableForTheSameSeed() {
    String first = run(7);
    assertThat(first.lines().skip(1))
        .extracting(l -> l.split("\\s+")[0])
        .containsExactly("fcfs", "drf", "cumulative", "cumulative+preemption");
    assertThat(run(7)).isEqualTo(first);
  }

  @Test
  void scalesTheWorkloadAndRejectsNonsense() {
    SimulationConfig c = SimulateSchedulerCommand.config(3, 20, 280);
    assertThat(c.hosts()).isEqualTo(20);
    assertThat(c.heavyUsers() * c.heavyJobsPerUser()).isEqualTo(240);
    assertThat(c.lightUsers() * c.lightJobsPerUser()).isEqualTo(40);
    assertThatThrownBy(() -> SimulateSchedulerCommand.config(1, 0, 10))
        .hasMessage("--hosts must be between 1 and 100000, got 0");
    assertThatThrownBy(() -> SimulateSchedulerCommand.config(1, 10, 0))
        .hasMessage("--jobs must be between 1 and 1000000, got 0");
  }

  private static String run(long seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        SimulateSchedulerCommand.run(
            seed,
            10,
            70,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
