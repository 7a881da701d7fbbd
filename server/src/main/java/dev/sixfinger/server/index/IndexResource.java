package dev.sixfinger.server.index;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.core.query.QueryParseException;
import dev.sixfinger.rules.index.Change;
import dev.sixfinger.rules.index.Index;
import dev.sixfinger.rules.index.Subscription;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The index over HTTP.
 *
 * <ul>
 *   <li>{@code GET /api/v1/index?q=QUERY[&limit=N]}: the matching entries, a JSON array of events
 *       in Riemann's JSON form, sorted by host then service; at most {@code limit} of them (default
 *       10,000). Headers {@code X-Sixfinger-Total} and {@code X-Sixfinger-Truncated} say how many
 *       matched and whether some were left out.
 *   <li>{@code GET /api/v1/index/stream?q=QUERY}: server-sent events; first the matching entries
 *       (event {@code update}), then every change: {@code update} (the entry now holds this event),
 *       {@code remove} (this replacement no longer matches) or {@code expire} (the entry left the
 *       index; the event has state {@code expired}). Each {@code data} is one event in JSON. A
 *       client too slow to keep up gets an event {@code closed} with the reason, and the stream
 *       ends. A comment every {@code index.streamHeartbeat} keeps proxies from timing the stream
 *       out, and finds clients that went away.
 * </ul>
 *
 * A missing or bad query gets 400 with {@code {"code": 400, "error": ..., "position": ...}}; the
 * error names the column and shows the query with a caret under it.
 */
@Path("/api/v1/index")
public class IndexResource implements AutoCloseable {
  /** Events a query returns unless {@code limit} says otherwise. */
  public static final int DEFAULT_LIMIT = 10_000;

  public static final int MAX_LIMIT = 1_000_000;

  /** How many entries matched, and whether the answer holds fewer. */
  public static final String TOTAL_HEADER = "X-Sixfinger-Total";

  public static final String TRUNCATED_HEADER = "X-Sixfinger-Truncated";

  private final Index index;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread t = new Thread(task, "index-stream-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final ScheduledFuture<?> heartbeatTask;

  /**
   * @param heartbeat how often each stream gets a comment ({@code index.streamHeartbeat})
   */
  public IndexResource(Index index, Duration heartbeat) {
    this.index = index;
    heartbeatTask =
        heartbeats.scheduleWithFixedDelay(
            () -> streams.forEach(Stream::heartbeat),
            heartbeat.toMillis(),
            heartbeat.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response query(
      @QueryParam("q") String q,
      @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) String limitText) {
    int limit = limit(limitText);
    List<Event> matches = index.query(parse(q));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    matches.stream().limit(limit).forEach(e -> out.add(JsonCodec.toNode(e)));
    // A scan of a million entries must not become a response of a million events by accident.
    return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE)
        .header(TOTAL_HEADER, matches.size())
        .header(TRUNCATED_HEADER, matches.size() > limit)
        .build();
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw badRequest(
        "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'", -1);
  }

  @GET
  @Path("stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(@QueryParam("q") String q, @Context SseEventSink sink, @Context Sse sse) {
    Query query = parse(q);
    Stream stream = new Stream(sink, sse);
    streams.add(stream);
    stream.subscribed(index.subscribe(query, stream::send, stream::closed));
  }

  @Override
  public void close() {
    heartbeatTask.cancel(false);
    heartbeats.shutdownNow();
  }

  private static Query parse(String q) {
    if (q == null || q.isBlank()) {
      throw badRequest(
          "the query parameter q is missing: give a query, e.g. ?q=service%20%3D%20%22cpu%22", -1);
    }
    try {
      return Query.parse(q);
    } catch (QueryParseException e) {
      throw badRequest(e.getMessage(), e.position());
    }
  }

  private static WebApplicationException badRequest(String message, int position) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("code", 400);
    body.put("error", message);
    if (position >= 0) {
      body.put("position", position);
    }
    return new WebApplicationException(
        Response.status(Response.Status.BAD_REQUEST)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(body.toString())
            .build());
  }

  /**
   * One client's stream. Writes are serialized by a lock: changes, heartbeats and the close race. A
   * heartbeat skips a stream that is busy writing (it needs none), so that one stuck client cannot
   * hold up the heartbeats of the others.
   */
  private final class Stream {
    private final SseEventSink sink;
    private final Sse sse;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Subscription subscription;
    private volatile boolean gone;

    Stream(SseEventSink sink, Sse sse) {
      this.sink = sink;
      this.sse = sse;
    }

    void subscribed(Subscription s) {
      subscription = s;
      if (gone) {
        s.close();
      }
    }

    /** Runs on the index's delivery thread; throwing closes the subscription. */
    void send(Change change) {
      OutboundSseEvent event =
          sse.newEventBuilder()
              .name(change.kind().eventName())
              .data(JsonCodec.toNode(change.event()).toString())
              .build();
      lock.lock();
      try {
        write(event);
      } finally {
        lock.unlock();
      }
    }

    void heartbeat() {
      if (!lock.tryLock()) {
        return;
      }
      try {
        write(sse.newEventBuilder().comment("keep-alive").build());
      } catch (RuntimeException e) { // the client went away: a failed write closes the sink
        gone = true;
        Subscription s = subscription;
        if (s != null) {
          s.close();
        }
      } finally {
        lock.unlock();
      }
    }

    /** The subscription closed: say why, unless the client is gone, and end the stream. */
    void closed(String reason) {
      streams.remove(this);
      lock.lock();
      try {
        if (!Subscription.CLOSED_BY_SUBSCRIBER.equals(reason) && !sink.isClosed()) {
          ObjectNode data = JsonNodeFactory.instance.objectNode().put("reason", reason);
          try {
            write(sse.newEventBuilder().name("closed").data(data.toString()).build());
          } catch (IllegalStateException e) {
            // The client went away meanwhile: nobody left to tell.
          }
        }
        sink.close();
      } catch (Exception e) {
        // Closing a broken connection: nothing more to do.
      } finally {
        lock.unlock();
      }
    }

    private void write(OutboundSseEvent event) {
      if (sink.isClosed()) {
        throw new IllegalStateException("the client closed the stream");
      }
      CompletableFuture<?> sent = sink.send(event).toCompletableFuture();
      if (sent.isCompletedExceptionally() || sink.isClosed()) {
        throw new IllegalStateException("the client closed the stream");
      }
    }
  }
}
