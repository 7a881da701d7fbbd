package dev.sixfinger.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.EventDeserializer;
import dev.sixfinger.core.kafka.EventSerializer;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.core.riemann.RiemannProto;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RiemannCodecTest {

  @Provide
  Arbitrary<Event> events() {
    return Events.events();
  }

  @Property(tries = 500)
  void protobufRoundTripKeepsEveryField(@ForAll("events") Event event) {
    assertThat(RiemannCodec.decode(RiemannCodec.encode(event))).isEqualTo(event);
  }

  @Property(tries = 300)
  void kafkaSerdesRoundTrip(@ForAll("events") Event event) {
    byte[] bytes = new EventSerializer().serialize(Topics.EVENTS, event);
    assertThat(new EventDeserializer().deserialize(Topics.EVENTS, bytes)).isEqualTo(event);
  }

  @Property(tries = 200)
  void unknownFieldsAreIgnored(@ForAll("events") Event event, @ForAll long unknown) {
    RiemannProto.Event withUnknown =
        RiemannCodec.toProto(event).toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(unknown).build())
                    .addField(
                        100,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("x"))
                            .build())
                    .build())
            .build();
    assertThat(RiemannCodec.decode(withUnknown.toByteArray())).isEqualTo(event);
  }

  @Property(tries = 1000)
  void arbitraryBytesDecodeOrFailWithCodecException(@ForAll byte[] bytes) {
    try {
      RiemannCodec.decode(bytes);
    } catch (CodecException e) {
      assertThat(e).hasMessageContaining("not a Riemann protobuf Event");
    }
  }

  @Property(tries = 300)
  void mutatedEventsDecodeOrFailWithCodecException(
      @ForAll("events") Event event, @ForAll("positions") int position, @ForAll byte value) {
    byte[] bytes = RiemannCodec.encode(event);
    if (bytes.length == 0) {
      return;
    }
    bytes[Math.floorMod(position, bytes.length)] = value;
    try {
      RiemannCodec.decode(bytes);
    } catch (CodecException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().greaterOrEqual(0);
  }

  @Test
  void metricPrecedenceIsSint64ThenDoubleThenFloat() {
    RiemannProto.Event all =
        RiemannProto.Event.newBuilder().setMetricSint64(7).setMetricD(2.5).setMetricF(1.5f).build();
    assertThat(RiemannCodec.fromProto(all).metric()).isEqualTo(7L);
    RiemannProto.Event doubleAndFloat =
        RiemannProto.Event.newBuilder().setMetricD(2.5).setMetricF(1.5f).build();
    assertThat(RiemannCodec.fromProto(doubleAndFloat).metric()).isEqualTo(2.5d);
    RiemannProto.Event floatOnly = RiemannProto.Event.newBuilder().setMetricF(1.5f).build();
    assertThat(RiemannCodec.fromProto(floatOnly).metric()).isEqualTo(1.5d);
    RiemannProto.Event nan = RiemannProto.Event.newBuilder().setMetricF(Float.NaN).build();
    assertThat(RiemannCodec.fromProto(nan).metricAsDouble()).isNaN();
    assertThat(RiemannCodec.fromProto(RiemannProto.Event.getDefaultInstance()).metric()).isNull();
  }

  @Test
  void timePrecedenceIsMicrosThenSeconds() {
    RiemannProto.Event both =
        RiemannProto.Event.newBuilder().setTime(10).setTimeMicros(20_000_001L).build();
    assertThat(RiemannCodec.fromProto(both).timeMicros()).isEqualTo(20_000_001L);
    RiemannProto.Event seconds = RiemannProto.Event.newBuilder().setTime(10).build();
    assertThat(RiemannCodec.fromProto(seconds).timeMicros()).isEqualTo(10_000_000L);
    assertThat(RiemannCodec.fromProto(RiemannProto.Event.getDefaultInstance()).timeMicros())
        .isNull();
  }

  @Test
  void encodeWritesSecondsForOldClients() {
    Event e = Event.builder().timeMicros(-1L).build();
    assertThat(RiemannCodec.toProto(e).getTime()).isEqualTo(-1L);
    assertThat(RiemannCodec.toProto(e).getTimeMicros()).isEqualTo(-1L);
  }

  @Test
  void secondsThatOverflowMicrosAreAnError() {
    byte[] bytes = RiemannProto.Event.newBuilder().setTime(Long.MAX_VALUE).build().toByteArray();
    assertThatThrownBy(() -> RiemannCodec.decode(bytes))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not a Riemann protobuf Event");
  }

  @Test
  void defaultsFillOnlyWhatIsMissing() {
    Event bare = Event.builder().host("h").build();
    Event filled = bare.withDefaults(123L, 60f);
    assertThat(filled.timeMicros()).isEqualTo(123L);
    assertThat(filled.ttl()).isEqualTo(60f);
    Event full = Event.builder().timeMicros(5L).ttl(10f).build();
    assertThat(full.withDefaults(123L, 60f)).isSameAs(full);
  }
}
