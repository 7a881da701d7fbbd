package dev.sixfinger.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobTest {
  @Test
  void defaultsAreValid() {
    Job j = Job.builder("j1", "alice", "echo hi").build();
    assertThat(j.violations()).isEmpty();
    assertThat(j.priority()).isEqualTo(50);
    assertThat(j.maxRetries()).isEqualTo(1);
    assertThat(j.resources()).isEqualTo(new Resources(1000, 1024, 0));
  }

  @Test
  void everyViolationNamesTheFieldAndItsLimit() {
    Job j =
        Job.builder("bad uuid!", "", " ")
            .cpus(0)
            .memMib(Job.MAX_MEM_MIB + 1)
            .gpus(-1)
            .priority(101)
            .maxRetries(0)
            .maxRuntimeMicros(0)
            .build();
    List<String> v = j.violations();
    assertThat(v)
        .anyMatch(s -> s.startsWith("uuid 'bad uuid!'"))
        .anyMatch(s -> s.startsWith("user ''"))
        .anyMatch(s -> s.equals("command must not be empty"))
        .anyMatch(s -> s.contains("cpus 0.0 must be more than 0 and at most 1024"))
        .anyMatch(s -> s.contains("mem " + (Job.MAX_MEM_MIB + 1) + " MiB must be more than 0"))
        .anyMatch(s -> s.contains("gpus -1 must be between 0 and 64"))
        .anyMatch(s -> s.contains("priority 101 must be between 0 and 100"))
        .anyMatch(s -> s.contains("max_retries 0 must be between 1 and 100"))
        .anyMatch(s -> s.startsWith("max_runtime must be positive"))
        .hasSize(9);
  }

  @Test
  void cpusFinerThanAThousandthAreRejected() {
    assertThat(Job.builder("j", "u", "c").cpus(0.0005).build().violations())
        .containsExactly("cpus 5.0E-4 must be a multiple of 0.001");
    assertThat(Job.builder("j", "u", "c").cpus(0.25).build().violations()).isEmpty();
  }

  @Test
  void constraintsTestHostAttributes() {
    Constraint eq = new Constraint("rack", Constraint.Op.EQUALS, "r1");
    Constraint ne = new Constraint("rack", Constraint.Op.NOT_EQUALS, "r1");
    assertThat(eq.test(java.util.Map.of("rack", "r1"))).isTrue();
    assertThat(eq.test(java.util.Map.of("rack", "r2"))).isFalse();
    assertThat(eq.test(java.util.Map.of())).isFalse();
    assertThat(ne.test(java.util.Map.of())).isTrue();
    assertThat(ne.test(java.util.Map.of("rack", "r1"))).isFalse();
  }
}
