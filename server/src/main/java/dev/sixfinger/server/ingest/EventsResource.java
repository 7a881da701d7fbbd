package dev.sixfinger.server.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.collector.ingest.IngestGateway;
import dev.sixfinger.collector.ingest.IngestSaturatedException;
import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/v1/events}: one Riemann JSON event or an array of them. Answers 200 only once
 * Kafka has stored every event; 400 names the bad field; 413 names the size limit; 503 means
 * nothing may be assumed stored and the client should resend.
 */
@Path("/api/v1/events")
public class EventsResource {

  private final IngestGateway gateway;
  private final int maxBodyBytes;

  public EventsResource(IngestGateway gateway, int maxBodyBytes) {
    this.gateway = gateway;
    this.maxBodyBytes = maxBodyBytes;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public void post(InputStream body, @Suspended AsyncResponse response) {
    byte[] bytes;
    try {
      bytes = body.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      response.resume(error(Response.Status.BAD_REQUEST, "could not read the body: " + e));
      return;
    }
    if (bytes.length > maxBodyBytes) {
      gateway.metrics().httpRejected.increment();
      response.resume(
          error(
              Response.Status.REQUEST_ENTITY_TOO_LARGE,
              "body exceeds the maximum of "
                  + maxBodyBytes
                  + " bytes (ingest.maxFrameSize); send fewer events per request"));
      return;
    }
    List<Event> events;
    try {
      events = JsonCodec.parseEvents(bytes);
    } catch (CodecException e) {
      gateway.metrics().httpRejected.increment();
      response.resume(error(Response.Status.BAD_REQUEST, e.getMessage()));
      return;
    }
    gateway
        .publish(events, bytes.length)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                ObjectNode reply = JsonNodeFactory.instance.objectNode();
                reply.put("ok", true);
                reply.put("events", events.size());
                response.resume(Response.ok(reply.toString()).build());
              } else {
                Throwable cause = unwrap(failure);
                Response.ResponseBuilder r =
                    Response.status(Response.Status.SERVICE_UNAVAILABLE)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(errorBody(503, String.valueOf(cause.getMessage())));
                if (cause instanceof IngestSaturatedException) {
                  r.header("Retry-After", "1");
                }
                response.resume(r.build());
              }
            });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(errorBody(status.getStatusCode(), message))
        .build();
  }

  private static String errorBody(int code, String message) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("code", code);
    n.put("error", message);
    return n.toString();
  }
}
