package dev.sixfinger.core.codec;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between {@link Event} and Riemann's protobuf {@code Event}, following Riemann's read
 * rules: metric precedence {@code metric_sint64}, {@code metric_d}, {@code metric_f}; time
 * precedence {@code time_micros}, then {@code time} in seconds. Unknown fields are ignored.
 */
public final class RiemannCodec {

  private RiemannCodec() {}

  public static Event fromProto(RiemannProto.Event p) {
    Event.Builder b = Event.builder();
    if (p.hasHost()) {
      b.host(p.getHost());
    }
    if (p.hasService()) {
      b.service(p.getService());
    }
    if (p.hasState()) {
      b.state(p.getState());
    }
    if (p.hasDescription()) {
      b.description(p.getDescription());
    }
    if (p.hasMetricSint64()) {
      b.metric(p.getMetricSint64());
    } else if (p.hasMetricD()) {
      b.metric(p.getMetricD());
    } else if (p.hasMetricF()) {
      b.metric((double) p.getMetricF());
    }
    b.tags(p.getTagsList());
    if (p.getAttributesCount() > 0) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (RiemannProto.Attribute a : p.getAttributesList()) {
        attributes.put(a.getKey(), a.hasValue() ? a.getValue() : null);
      }
      b.attributes(attributes);
    }
    if (p.hasTimeMicros()) {
      b.timeMicros(p.getTimeMicros());
    } else if (p.hasTime()) {
      b.timeMicros(Math.multiplyExact(p.getTime(), 1_000_000L));
    }
    if (p.hasTtl()) {
      b.ttl(p.getTtl());
    }
    return b.build();
  }

  /**
   * Encodes an event. Both {@code time} (seconds, for old clients) and {@code time_micros} are
   * written; integer metrics go to {@code metric_sint64}, others to {@code metric_d}.
   */
  public static RiemannProto.Event toProto(Event e) {
    RiemannProto.Event.Builder p = RiemannProto.Event.newBuilder();
    if (e.host() != null) {
      p.setHost(e.host());
    }
    if (e.service() != null) {
      p.setService(e.service());
    }
    if (e.state() != null) {
      p.setState(e.state());
    }
    if (e.description() != null) {
      p.setDescription(e.description());
    }
    if (e.metric() instanceof Long l) {
      p.setMetricSint64(l);
    } else if (e.metric() != null) {
      p.setMetricD(e.metric().doubleValue());
    }
    p.addAllTags(e.tags());
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      RiemannProto.Attribute.Builder ab = RiemannProto.Attribute.newBuilder().setKey(a.getKey());
      if (a.getValue() != null) {
        ab.setValue(a.getValue());
      }
      p.addAttributes(ab);
    }
    if (e.timeMicros() != null) {
      p.setTimeMicros(e.timeMicros());
      p.setTime(Math.floorDiv(e.timeMicros(), 1_000_000L));
    }
    if (e.ttl() != null) {
      p.setTtl(e.ttl());
    }
    return p.build();
  }

  public static byte[] encode(Event e) {
    return toProto(e).toByteArray();
  }

  /**
   * Decodes one protobuf {@code Event}.
   *
   * @throws CodecException naming what was wrong when the bytes are not a Riemann event
   */
  public static Event decode(byte[] bytes) {
    try {
      return fromProto(RiemannProto.Event.parseFrom(bytes));
    } catch (com.google.protobuf.InvalidProtocolBufferException | ArithmeticException ex) {
      throw new CodecException("not a Riemann protobuf Event (" + ex.getMessage() + ")", ex);
    }
  }

  /** A reply to a client: {@code ok=true}. */
  public static RiemannProto.Msg ok() {
    return OK;
  }

  /** A reply to a client: {@code ok=false} with the reason. */
  public static RiemannProto.Msg error(String reason) {
    return RiemannProto.Msg.newBuilder().setOk(false).setError(reason).build();
  }

  /** A query reply: {@code ok=true} with the matching events. */
  public static RiemannProto.Msg queryResult(List<Event> events) {
    RiemannProto.Msg.Builder m = RiemannProto.Msg.newBuilder().setOk(true);
    for (Event e : events) {
      m.addEvents(toProto(e));
    }
    return m.build();
  }

  private static final RiemannProto.Msg OK = RiemannProto.Msg.newBuilder().setOk(true).build();
}
