package dev.sixfinger.benchmarks.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.rules.index.Index;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexFixtureTest {
  private final IndexFixture fixture = IndexFixture.build(200, 50);

  @Test
  void oneEventPerHostAndServiceWithEveryField() {
    assertThat(fixture.size()).isEqualTo(10_000);
    Event e = fixture.events().get(0);
    assertThat(e.host()).isEqualTo("node-00000.dc1.example.net");
    assertThat(e.service()).isEqualTo("cpu/user");
    assertThat(e.state()).isEqualTo("ok");
    assertThat(e.metric()).isInstanceOf(Double.class);
    assertThat(e.timeMicros()).isNotNull();
    assertThat(e.ttl()).isEqualTo(30f);
    assertThat(e.tags()).containsExactly("linux");
    assertThat(e.attributes()).containsEntry("rack", "r00");
    assertThat(fixture.events().get(49).service()).isEqualTo("gen/metric-29");
  }

  @Test
  void theIndexAnswersLikeTheBaselineLoop() {
    try (Index index = fixture.newIndex()) {
      assertThat(index.size()).isEqualTo(fixture.size());
      assertThat(Index.access(IndexFixture.PREFIX_QUERY)).isEqualTo(Index.Access.SERVICE_PREFIX);
      assertThat(Index.access(IndexFixture.SCAN_METRIC_QUERY)).isEqualTo(Index.Access.SCAN);
      assertThat(Index.access(IndexFixture.SCAN_DESCRIPTION_QUERY)).isEqualTo(Index.Access.SCAN);
      for (var q :
          List.of(
              IndexFixture.PREFIX_QUERY,
              IndexFixture.SCAN_METRIC_QUERY,
              IndexFixture.SCAN_DESCRIPTION_QUERY)) {
        List<Event> expected = IndexBenchmark.loop(fixture.events(), q);
        assertThat(index.query(q)).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
      }
      assertThat(index.query(IndexFixture.PREFIX_QUERY)).hasSize(200 * 3);
      assertThat(index.query(IndexFixture.SCAN_DESCRIPTION_QUERY)).hasSize(2);
      assertThat(index.lookup(fixture.host(17), fixture.service(12)))
          .contains(fixture.events().get(17 * 50 + 12));
      assertThat(fixture.newHashMap().get(new IndexFixture.HostService("x", "y"))).isNull();
    }
  }
}
