package dev.sixfinger.core.kafka;

import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads Riemann protobuf {@code Event} bytes from Kafka. */
public final class EventDeserializer implements Deserializer<Event> {
  @Override
  public Event deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return RiemannCodec.decode(data);
    } catch (CodecException ex) {
      throw new SerializationException("record in " + topic + ": " + ex.getMessage(), ex);
    }
  }
}
