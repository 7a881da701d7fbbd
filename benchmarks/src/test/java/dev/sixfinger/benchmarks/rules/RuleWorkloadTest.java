package dev.sixfinger.benchmarks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleSet;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleWorkloadTest {
  /** Tests run in the module's directory. */
  private static final Path RULES = Path.of("..", "config", "rules");

  @Test
  void shippedRulesAndGeneratedOnes() {
    RuleSet set = RuleWorkload.ruleSet(RULES, 100);
    assertThat(set.ok()).isTrue();
    assertThat(set.rules()).hasSize(RuleSet.load(RULES).rules().size() + 100);
    assertThat(set.rules()).extracting(Rule::name).doesNotHaveDuplicates();
    var generated = set.rules().stream().filter(r -> r.name().startsWith("gen-")).toList();
    assertThat(generated).filteredOn(r -> r.window() != null).hasSize(48);
    assertThat(generated).filteredOn(r -> r.forDuration().isZero()).hasSize(26);
    assertThat(generated).filteredOn(r -> r.by().equals(List.of("host"))).hasSize(24);
    assertThat(RuleWorkload.generatedServices(100)).isEqualTo(50);
  }

  @Test
  void feedSendsEveryServiceOfEveryHostEachTickInTimeOrder() {
    AgentFeed feed = new AgentFeed(30, 50, 42);
    assertThat(feed.servicesPerHost()).isEqualTo(70);
    Set<String> keys = new HashSet<>();
    long last = Long.MIN_VALUE;
    for (int i = 0; i < 30 * 70; i++) {
      Event e = feed.next();
      keys.add(e.host() + " " + e.service());
      assertThat(e.timeMicros()).isGreaterThanOrEqualTo(last);
      last = e.timeMicros();
      assertThat(e.ttl()).isEqualTo(30f);
      assertThat(e.tags()).containsExactly("linux");
    }
    assertThat(keys).hasSize(30 * 70);
    assertThat(feed.next().timeMicros()).isEqualTo(AgentFeed.startMicros() + AgentFeed.TICK_MICROS);
  }

  @Test
  void aboutTwoPercentOfHostsAreInTroublePerKind() {
    int trouble = 0;
    for (int h = 0; h < 10_000; h++) {
      if (AgentFeed.trouble(h, 0, 0)) {
        trouble++;
      }
    }
    assertThat(trouble).isBetween(150, 250);
  }

  @Test
  void bothSystemsUnderTestSeeRulesHold() {
    RuleSet set = RuleWorkload.ruleSet(RULES, 100);
    AgentFeed feed = new AgentFeed(50, 50, 42);
    CompiledStreams streams =
        (CompiledStreams) RulesUnderTest.create("streams", set, AgentFeed.startMicros());
    QueryLoop loop = (QueryLoop) RulesUnderTest.create("query-loop", set, AgentFeed.startMicros());
    RulesUnderTest engine = RulesUnderTest.create("engine", set, AgentFeed.startMicros());
    for (int i = 0; i < 50 * 70 * 40; i++) { // 40 ticks: 6 minutes and 40 seconds
      Event e = feed.next();
      streams.accept(e);
      loop.accept(e);
      engine.accept(e);
    }
    assertThat(streams.firing()).isPositive();
    assertThat(streams.resolved()).isPositive();
    assertThat(loop.holding()).isPositive();
    assertThat(streams.summary()).startsWith("streams: ");
    assertThat(loop.summary()).startsWith("query-loop: ");
    assertThat(engine.summary()).startsWith("engine: ").doesNotStartWith("engine: 0 alert");
  }
}
