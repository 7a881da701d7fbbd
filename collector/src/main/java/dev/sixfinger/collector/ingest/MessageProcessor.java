package dev.sixfinger.collector.ingest;

import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.riemann.RiemannProto;
import dev.sixfinger.core.time.Clock;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway does with one decoded Riemann {@code Msg}, whatever transport it came on: fill
 * in missing times and ttls, publish the events, answer a query. Shared by TCP and UDP.
 */
final class MessageProcessor {
  private final EventSink sink;
  private final QueryService queries;
  private final InflightLimiter limiter;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final float defaultTtlSeconds;

  MessageProcessor(
      EventSink sink,
      QueryService queries,
      InflightLimiter limiter,
      IngestMetrics metrics,
      Clock clock,
      float defaultTtlSeconds) {
    this.sink = sink;
    this.queries = queries;
    this.limiter = limiter;
    this.metrics = metrics;
    this.clock = clock;
    this.defaultTtlSeconds = defaultTtlSeconds;
  }

  /**
   * Publishes the events of a message and answers it.
   *
   * @param bytes the message's size, counted against the in-flight limit until Kafka answers
   * @param channel the connection to pause when over the limit, or null for UDP
   */
  CompletableFuture<RiemannProto.Msg> process(RiemannProto.Msg msg, int bytes, Channel channel) {
    metrics.messagesReceived.increment();
    List<Event> events;
    try {
      events = withDefaults(msg);
    } catch (ArithmeticException e) {
      return CompletableFuture.completedFuture(
          RiemannCodec.error("event time is out of range: " + e.getMessage()));
    }
    limiter.acquire(channel, bytes);
    CompletableFuture<Void> published =
        sink.publish(events).whenComplete((ok, error) -> limiter.release(bytes));
    if (!msg.hasQuery()) {
      return published.thenApply(ok -> RiemannCodec.ok());
    }
    if (queries == null) {
      metrics.queriesRefused.increment();
      return published.thenApply(
          ok -> RiemannCodec.error("queries are not served here: no index is running"));
    }
    return published
        .thenCompose(ok -> queries.query(msg.getQuery().getString()))
        .thenApply(RiemannCodec::queryResult);
  }

  private List<Event> withDefaults(RiemannProto.Msg msg) {
    long now = clock.nowMicros();
    List<Event> events = new ArrayList<>(msg.getEventsCount());
    for (RiemannProto.Event p : msg.getEventsList()) {
      events.add(RiemannCodec.fromProto(p).withDefaults(now, defaultTtlSeconds));
    }
    return events;
  }

  /**
   * Publishes events that arrived another way (HTTP JSON), with the same defaults and the same
   * in-flight limit; over the limit it refuses at once, since such a client can simply retry.
   */
  CompletableFuture<Void> publish(List<Event> events, int bytes) {
    if (limiter.overLimit()) {
      return CompletableFuture.failedFuture(
          new IngestSaturatedException(
              "ingest is saturated: "
                  + limiter.inflightBytes()
                  + " bytes wait for Kafka (ingest.maxInflightBytes); retry shortly"));
    }
    metrics.messagesReceived.increment();
    long now = clock.nowMicros();
    List<Event> complete =
        events.stream().map(e -> e.withDefaults(now, defaultTtlSeconds)).toList();
    limiter.acquire(null, bytes);
    return sink.publish(complete).whenComplete((ok, error) -> limiter.release(bytes));
  }
}
