package dev.sixfinger.collector.agent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

  @Test
  void parsesScenarios() {
    Scenario storm = Scenario.parse("swap-storm:25%@60s");
    assertThat(storm.kind()).isEqualTo(Scenario.Kind.SWAP_STORM);
    assertThat(storm.hostsAffected(100)).isEqualTo(25);
    assertThat(storm.activeAt(Duration.ofSeconds(59))).isFalse();
    assertThat(storm.activeAt(Duration.ofSeconds(60))).isTrue();
    Scenario silent = Scenario.parse("host-silent:2@30s+5m");
    assertThat(silent.hostsAffected(100)).isEqualTo(2);
    assertThat(silent.activeAt(Duration.ofSeconds(329))).isTrue();
    assertThat(silent.activeAt(Duration.ofSeconds(330))).isFalse();
    assertThat(silent.toString()).isEqualTo("host-silent:2@30s+300s");
  }

  @Test
  void badScenariosSayWhatIsExpected() {
    assertThatThrownBy(() -> Scenario.parse("swap-storm"))
        .hasMessageContaining("is not of the form KIND:COUNT@OFFSET");
    assertThatThrownBy(() -> Scenario.parse("meteor:2@1s"))
        .hasMessageContaining("unknown kind 'meteor'")
        .hasMessageContaining("swap-storm");
    assertThatThrownBy(() -> Scenario.parse("swap-storm:150%@1s")).hasMessageContaining("100%");
    assertThatThrownBy(() -> Scenario.parse("swap-storm:1.5@1s"))
        .hasMessageContaining("whole number");
  }

  @Test
  void swapStormHitsTheChosenShareFromItsOffset() {
    Scenario storm = Scenario.parse("swap-storm:25%@60s");
    FleetSimulator sim = new FleetSimulator(40, List.of(storm), 42);
    assertThat(sim.hostsOf(storm)).hasSize(10);

    assertThat(swappingHosts(sim.tick(Duration.ofSeconds(50), 0))).isEmpty();
    assertThat(swappingHosts(sim.tick(Duration.ofSeconds(70), 0))).isEqualTo(sim.hostsOf(storm));
  }

  @Test
  void silentHostsSendNothing() {
    Scenario silent = Scenario.parse("host-silent:2@30s");
    FleetSimulator sim = new FleetSimulator(10, List.of(silent), 1);
    Set<String> before = hosts(sim.tick(Duration.ofSeconds(10), 0));
    Set<String> after = hosts(sim.tick(Duration.ofSeconds(31), 0));
    assertThat(before).hasSize(10);
    assertThat(after).hasSize(8).doesNotContainAnyElementsOf(sim.hostsOf(silent));
  }

  @Test
  void readingsArePlausibleAndDeterministic() {
    List<Event> a = new FleetSimulator(5, List.of(), 7).tick(Duration.ofSeconds(10), 123);
    List<Event> b = new FleetSimulator(5, List.of(), 7).tick(Duration.ofSeconds(10), 123);
    assertThat(a).isEqualTo(b);
    for (Event e : a) {
      assertThat(e.timeMicros()).isEqualTo(123L);
      if (e.service().endsWith("fraction") || e.service().startsWith("cpu/")) {
        assertThat(e.metricAsDouble()).isBetween(0.0, 1.0);
      }
      if (e.service().equals("swap/in-rate")) {
        assertThat(e.metricAsDouble()).isLessThan(100);
      }
    }
    assertThat(a.stream().map(Event::service).distinct())
        .contains("swap/in-rate", "capacity/cpus", "disk/used-fraction", "check/health");
  }

  private static Set<String> swappingHosts(List<Event> events) {
    return events.stream()
        .filter(e -> "swap/in-rate".equals(e.service()) && e.metricAsDouble() > 500)
        .map(Event::host)
        .collect(Collectors.toSet());
  }

  private static Set<String> hosts(List<Event> events) {
    return events.stream().map(Event::host).collect(Collectors.toSet());
  }
}
