package dev.sixfinger.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.collector.agent.sampler.Sampler;
import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentTest {

  private static Sampler sampler(String name, List<Event> events) {
    return new Sampler() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Event> sample(long nowMicros) {
        return events;
      }
    };
  }

  @Test
  void stampsHostTagsAttributesAndTtlAndKeepsGoingWhenASamplerFails() {
    AgentConfig config =
        AgentConfig.parse(
            "host: node-1\ninterval: 10s\ntags: [linux]\nattributes: {rack: r7}\n", "test");
    List<Event> out = new ArrayList<>();
    Sampler broken =
        new Sampler() {
          @Override
          public String name() {
            return "disk";
          }

          @Override
          public List<Event> sample(long nowMicros) throws IOException {
            throw new IOException("/proc/mounts:3: unreadable");
          }
        };
    Sampler swap =
        sampler(
            "swap",
            List.of(
                Event.builder()
                    .service("swap/in-rate")
                    .metric(250.0)
                    .timeMicros(5L)
                    .attribute("rack", "own")
                    .build()));
    Agent agent = new Agent(config, List.of(broken, swap), out::add, () -> 5L);
    agent.tick();

    Event failure = out.get(0);
    assertThat(failure.service()).isEqualTo("agent/sampler/disk");
    assertThat(failure.state()).isEqualTo("critical");
    assertThat(failure.description()).isEqualTo("/proc/mounts:3: unreadable");

    Event e = out.get(1);
    assertThat(e.host()).isEqualTo("node-1");
    assertThat(e.tags()).containsExactly("linux");
    assertThat(e.attributes()).isEqualTo(Map.of("rack", "own"));
    assertThat(e.ttl()).isEqualTo(30f);
    assertThat(e.metric()).isEqualTo(250.0);

    assertThat(out)
        .extracting(Event::service)
        .contains("agent/events-rate", "agent/sampler-errors");
    assertThat(out).allSatisfy(ev -> assertThat(ev.host()).isEqualTo("node-1"));
  }
}
