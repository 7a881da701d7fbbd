package dev.sixfinger.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sixfinger.core.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Provide
  Arbitrary<Event> events() {
    return Events.events();
  }

  @Property(tries = 500)
  void jsonRoundTripKeepsEveryField(@ForAll("events") Event event) {
    assertThat(JsonCodec.fromJson(JsonCodec.toJson(event))).isEqualTo(event);
  }

  @Provide
  Arbitrary<List<Event>> eventLists() {
    return Events.events().list().ofMaxSize(5);
  }

  @Property(tries = 100)
  void arraysRoundTrip(@ForAll("eventLists") List<Event> events) {
    byte[] json = JsonCodec.toJson(events).getBytes(StandardCharsets.UTF_8);
    assertThat(JsonCodec.parseEvents(json)).isEqualTo(events);
  }

  @Property(tries = 1000)
  void arbitraryTextParsesOrFailsWithCodecException(@ForAll String text) {
    try {
      JsonCodec.parseEvents(text.getBytes(StandardCharsets.UTF_8));
    } catch (CodecException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void writesRiemannFieldNamesWithIsoTimeAndFlatAttributes() {
    Event e =
        Event.builder()
            .host("node-1")
            .service("swap/in-rate")
            .state("ok")
            .metric(12L)
            .tag("a")
            .attribute("rack", "r7")
            .attribute("host", "shadowed")
            .timeMicros(1_700_000_000_123_456L)
            .ttl(30f)
            .build();
    assertThat(JsonCodec.toJson(e))
        .isEqualTo(
            "{\"host\":\"node-1\",\"service\":\"swap/in-rate\",\"state\":\"ok\",\"metric\":12,"
                + "\"tags\":[\"a\"],\"time\":\"2023-11-14T22:13:20.123456Z\",\"ttl\":30.0,"
                + "\"rack\":\"r7\",\"attributes\":{\"host\":\"shadowed\"}}");
  }

  @Test
  void readsWhatRiemannClientsSend() {
    Event e =
        JsonCodec.fromJson(
            "{\"host\":\"h\",\"metric\":0.5,\"time\":1700000000.5,\"ttl\":10,\"dc\":\"x\"}");
    assertThat(e.metric()).isEqualTo(0.5d);
    assertThat(e.timeMicros()).isEqualTo(1_700_000_000_500_000L);
    assertThat(e.ttl()).isEqualTo(10f);
    assertThat(e.attributes()).containsEntry("dc", "x");
    assertThat(JsonCodec.fromJson("{\"metric\":\"NaN\"}").metricAsDouble()).isNaN();
    assertThat(JsonCodec.fromJson("{\"metric\":NaN}").metricAsDouble()).isNaN();
    assertThat(JsonCodec.fromJson("{\"metric\":-Infinity}").metric())
        .isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> JsonCodec.fromJson("{\"host\":\"h\",\"metric\":\"high\"}"))
        .isInstanceOf(CodecException.class)
        .hasMessage("field 'metric' must be a number, got string \"high\"");
    assertThatThrownBy(
            () ->
                JsonCodec.parseEvents(
                    "[{\"host\":\"a\"},{\"tags\":[\"x\",3]}]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field '[1].tags[1]' must be a string, got number 3");
    assertThatThrownBy(() -> JsonCodec.fromJson("{\"time\":\"yesterday\"}"))
        .hasMessageContaining("field 'time' must be an ISO-8601 instant");
    assertThatThrownBy(() -> JsonCodec.fromJson("{\"ttl\":\"1m\"}"))
        .hasMessageContaining("field 'ttl' must be a number of seconds");
    assertThatThrownBy(() -> JsonCodec.fromJson("{\"host\":{\"a\":1}}"))
        .hasMessageContaining("field 'host' must be a string");
    assertThatThrownBy(() -> JsonCodec.fromJson("{\"rack\":[1]}"))
        .hasMessageContaining("field 'rack' is an attribute and must be a string");
    assertThatThrownBy(() -> JsonCodec.parseEvents("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("event [0] must be a JSON object");
    assertThatThrownBy(() -> JsonCodec.parseEvents("{\"host\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("body is not valid JSON");
    assertThatThrownBy(() -> JsonCodec.parseEvents(new byte[0]))
        .hasMessageContaining("body is empty");
  }
}
