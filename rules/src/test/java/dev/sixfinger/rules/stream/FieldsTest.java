package dev.sixfinger.rules.stream;

import static dev.sixfinger.rules.stream.Ev.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** with, defaults, tag, expired and not-expired. */
class FieldsTest {
  private final StreamContext ctx = new StreamContext(sec(0));
  private final Streams s = new Streams(ctx);
  private final Sink sink = new Sink();

  private final Event base =
      Event.builder()
          .host("h1")
          .service("svc")
          .metric(3L)
          .tag("a")
          .attribute("team", "ops")
          .timeMicros(sec(0))
          .build();

  @Test
  void withSetsFieldsAndANullRemovesOne() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("state", "critical");
    fields.put("metric", 1);
    fields.put("ttl", 30);
    fields.put("time", 1_700_000_100);
    fields.put("team", "sre");
    fields.put("host", null);
    fields.put("tags", List.of("x"));
    s.with(fields, sink).accept(base);

    Event e = sink.events.get(0);
    assertThat(e.state()).isEqualTo("critical");
    assertThat(e.metric()).isEqualTo(1L);
    assertThat(e.ttl()).isEqualTo(30f);
    assertThat(e.timeMicros()).isEqualTo(1_700_000_100_000_000L);
    assertThat(e.attributes()).containsExactly(Map.entry("team", "sre"));
    assertThat(e.host()).isNull();
    assertThat(e.tags()).containsExactly("x");
    assertThat(e.service()).isEqualTo("svc");
  }

  @Test
  void withANullAttributeRemovesIt() {
    s.with("team", null, sink).accept(base);
    assertThat(sink.events.get(0).attributes()).isEmpty();
  }

  @Test
  void defaultsOnlyFillWhatIsMissing() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("state", "ok");
    fields.put("metric", 9);
    fields.put("ttl", 300);
    fields.put("team", "sre");
    fields.put("dc", "east");
    fields.put("tags", List.of("t"));
    s.defaults(fields, sink).accept(base);

    Event e = sink.events.get(0);
    assertThat(e.state()).isEqualTo("ok");
    assertThat(e.metric()).isEqualTo(3L);
    assertThat(e.ttl()).isEqualTo(300f);
    assertThat(e.attributes()).containsEntry("team", "ops").containsEntry("dc", "east");
    assertThat(e.tags()).containsExactly("a");
  }

  @Test
  void badValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> s.with("metric", "high", sink))
        .hasMessageContaining("'metric'")
        .hasMessageContaining("a number");
    assertThatThrownBy(() -> s.with("host", 3, sink)).hasMessageContaining("'host'");
  }

  @Test
  void tagPutsNewTagsFirstWithoutDuplicates() {
    s.tag(List.of("b", "a"), sink).accept(base.toBuilder().tag("c").build());
    assertThat(sink.events.get(0).tags()).containsExactly("b", "a", "c");
  }

  @Test
  void expiredAndNotExpiredPartitionByStateAndTtlAtTheContextsTime() {
    Sink expired = new Sink();
    Stream both = s.all(s.expired(expired), s.notExpired(sink));
    Event fresh = base.toBuilder().ttl(10f).build();
    Event stateExpired = base.toBuilder().state("expired").build();
    Event noTtl = base;
    ctx.advanceTo(sec(10));
    both.accept(fresh);
    both.accept(stateExpired);
    both.accept(noTtl);
    ctx.advanceTo(sec(10.000001));
    both.accept(fresh);
    ctx.advanceTo(sec(60.000001));
    both.accept(noTtl);

    assertThat(sink.events).containsExactly(fresh, noTtl);
    assertThat(expired.events).containsExactly(stateExpired, fresh, noTtl);
  }
}
