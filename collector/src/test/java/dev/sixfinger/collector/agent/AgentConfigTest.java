package dev.sixfinger.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void theShippedFileParsesToTheDefaults() throws Exception {
    Path shipped = Path.of("..", "config", "agent.yml");
    AgentConfig parsed = AgentConfig.load(shipped);
    AgentConfig defaults = AgentConfig.defaults();
    assertThat(parsed).isEqualTo(defaults);
    assertThat(Files.readString(shipped)).contains("interval: 10s");
  }

  @Test
  void readsEverySetting() {
    AgentConfig c =
        AgentConfig.parse(
            """
            endpoints: [a:5555, b:5556]
            interval: 2s
            host: node-17
            tags: [linux]
            attributes: {rack: r7}
            ttlIntervals: 5
            spoolDir: /tmp/spool
            spoolMaxSize: 10MiB
            batchSize: 50
            batchDelay: 200ms
            checks:
              - name: ntp
                command: [/bin/true]
                period: 30s
                timeout: 5s
              - name: check/probe
                shell: true
                command: "echo OK"
            """,
            "agent.yml");
    assertThat(c.endpoints()).containsExactly("a:5555", "b:5556");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.host()).isEqualTo("node-17");
    assertThat(c.tags()).containsExactly("linux");
    assertThat(c.attributes()).isEqualTo(Map.of("rack", "r7"));
    assertThat(c.ttlSeconds()).isEqualTo(10f);
    assertThat(c.spoolMaxBytes()).isEqualTo(10L << 20);
    assertThat(c.batchSize()).isEqualTo(50);
    assertThat(c.batchDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.checks()).hasSize(2);
    assertThat(c.checks().get(0).name()).isEqualTo("check/ntp");
    assertThat(c.checks().get(0).period()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.checks().get(1).name()).isEqualTo("check/probe");
    assertThat(c.checks().get(1).shell()).isTrue();
    assertThat(c.checks().get(1).command()).isEqualTo(List.of("echo OK"));
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertThatThrownBy(() -> AgentConfig.parse("intervall: 10s", "agent.yml"))
        .hasMessageStartingWith("agent.yml: unknown key 'intervall'; known keys: ");
    assertThatThrownBy(() -> AgentConfig.parse("interval: often", "agent.yml"))
        .hasMessage(
            "agent.yml: interval 'often' is not a duration such as 500ms, 30s, 5m, 2h or 1d");
    assertThatThrownBy(() -> AgentConfig.parse("checks: [{name: x}]", "agent.yml"))
        .hasMessage("agent.yml: checks[0] needs both 'name' and 'command'");
    assertThatThrownBy(
            () -> AgentConfig.parse("checks: [{name: x, command: [a], perod: 1s}]", "agent.yml"))
        .hasMessageContaining("unknown key 'checks[0].perod'");
    assertThatThrownBy(() -> AgentConfig.parse("spoolMaxSize: lots", "agent.yml"))
        .hasMessageContaining("spoolMaxSize 'lots' is not a size");
    assertThatThrownBy(() -> AgentConfig.parse("endpoints: []", "agent.yml"))
        .hasMessageContaining("at least one host:port");
    assertThatThrownBy(() -> AgentConfig.parse("a: [", "agent.yml"))
        .hasMessageStartingWith("agent.yml: not valid YAML");
  }

  @Test
  void anEmptyFileMeansTheDefaults() {
    assertThat(AgentConfig.parse("", "agent.yml")).isEqualTo(AgentConfig.defaults());
  }
}
