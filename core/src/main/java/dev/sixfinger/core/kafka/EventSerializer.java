package dev.sixfinger.core.kafka;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import org.apache.kafka.common.serialization.Serializer;

/** Writes events to Kafka as Riemann protobuf {@code Event} bytes. */
public final class EventSerializer implements Serializer<Event> {
  @Override
  public byte[] serialize(String topic, Event event) {
    return event == null ? null : RiemannCodec.encode(event);
  }
}
