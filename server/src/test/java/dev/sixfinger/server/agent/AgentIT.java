package dev.sixfinger.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sixfinger.collector.agent.Agent;
import dev.sixfinger.collector.agent.AgentConfig;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.time.Clock;
import dev.sixfinger.server.EventLog;
import dev.sixfinger.server.TestServer;
import io.dropwizard.testing.ConfigOverride;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent (this machine's /proc, a script check) against the real server, which is stopped
 * for a while and started again: every event the agent sampled arrives once, in order.
 */
class AgentIT {

  @TempDir Path dir;

  @Test
  void everySampledEventArrivesExactlyOnceAndInOrderAcrossAServerRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ConfigOverride fixedPort = ConfigOverride.config("ingest.port", Integer.toString(port));
    AgentConfig config =
        AgentConfig.parse(
                """
            endpoints: [127.0.0.1:%d]
            host: agent-it
            interval: 300ms
            tags: [it]
            batchDelay: 100ms
            checks:
              - name: probe
                shell: true
                command: "echo 'OK - fine | latency=0.5s;1;2'"
                period: 500ms
                timeout: 5s
              - name: hangs
                command: [sleep, "30"]
                period: 1s
                timeout: 500ms
              - name: crashes
                shell: true
                command: "kill -SEGV $$"
                period: 1s
              - name: silent
                command: ["true"]
                period: 1s
              - name: chatty
                shell: true
                command: "echo 'WARNING - noisy | lines=100000'; yes spam | head -c 2000000; exit 1"
                period: 1s
              - name: missing
                command: [/no/such/check]
                period: 1s
            """
                    .formatted(port),
                "agent-it.yml")
            .withSpoolDir(dir.resolve("spool"));

    TestServer server = TestServer.embedded(dir, fixedPort);
    try (Agent agent = Agent.create(config, Clock.system())) {
      agent.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.transportStats().sentEvents() > 100);

      server.close();
      long sentBeforeRestart = agent.transportStats().sentEvents();
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.transportStats().spoolDepth() > 100);
      assertThat(agent.transportStats().sentEvents()).isEqualTo(sentBeforeRestart);

      server = TestServer.embedded(dir, fixedPort);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.transportStats().sentEvents() > sentBeforeRestart + 200);
      agent.stopSampling();
      await().atMost(Duration.ofSeconds(60)).until(() -> agent.transportStats().spoolDepth() == 0);
      long emitted = agent.emittedEvents();

      try (EventLog log = new EventLog(server.bootstrapServers())) {
        log.awaitAtLeast((int) emitted, Duration.ofSeconds(60));
        List<Event> events =
            log.drain(Duration.ofSeconds(1)).stream()
                .map(r -> r.value())
                .filter(e -> "agent-it".equals(e.host()))
                .toList();
        assertThat(events).hasSize((int) emitted);

        Set<String> seen = new HashSet<>();
        Map<String, List<Long>> timesPerSeries = new HashMap<>();
        for (Event e : events) {
          String series = e.service() + e.attributes().toString();
          assertThat(seen.add(series + "@" + e.timeMicros())).as("duplicate %s", e).isTrue();
          timesPerSeries.computeIfAbsent(series, k -> new ArrayList<>()).add(e.timeMicros());
          assertThat(e.tags()).contains("it");
          assertThat(e.ttl()).isEqualTo(0.9f);
        }
        timesPerSeries.forEach((series, times) -> assertThat(times).as(series).isSorted());
        Map<String, Event> lastCheck = new HashMap<>();
        events.stream()
            .filter(e -> e.service().startsWith("check/") && e.service().split("/").length == 2)
            .forEach(e -> lastCheck.put(e.service(), e));
        assertThat(lastCheck.get("check/probe").state()).isEqualTo("ok");
        assertThat(lastCheck.get("check/hangs").state()).isEqualTo("critical");
        assertThat(lastCheck.get("check/hangs").description()).isEqualTo("timed out after 500ms");
        assertThat(lastCheck.get("check/crashes").state()).isEqualTo("unknown");
        assertThat(lastCheck.get("check/silent").description()).isEqualTo("(no output)");
        assertThat(lastCheck.get("check/chatty").state()).isEqualTo("warning");
        assertThat(lastCheck.get("check/chatty").description()).startsWith("WARNING - noisy");
        assertThat(lastCheck.get("check/missing").state()).isEqualTo("critical");
        assertThat(lastCheck.get("check/missing").description()).startsWith("cannot start");
        assertThat(timesPerSeries.keySet())
            .anyMatch(s -> s.startsWith("swap/used-fraction"))
            .anyMatch(s -> s.startsWith("cpu/user"))
            .anyMatch(s -> s.startsWith("check/probe{"))
            .anyMatch(s -> s.startsWith("check/probe/latency"));
      }
    } finally {
      server.close();
    }
  }
}
