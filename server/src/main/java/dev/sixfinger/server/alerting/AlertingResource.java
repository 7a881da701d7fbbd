package dev.sixfinger.server.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.alert.Transition;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Dispatcher;
import dev.sixfinger.alerting.nlog.NotificationLogEntry;
import dev.sixfinger.alerting.notify.NotifyResult;
import dev.sixfinger.alerting.routing.Matcher;
import dev.sixfinger.alerting.silence.Silence;
import dev.sixfinger.alerting.silence.SilenceJson;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.kafka.Topics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Alerts and silences over HTTP, on any instance (writes go through the topics, so every instance
 * applies them).
 *
 * <ul>
 *   <li>{@code GET /api/v1/alerts}: every alert with its state, the silences and the alert that
 *       mute it, its groups, and what each receiver was told (with the last error, e.g. PagerDuty's
 *       400 text).
 *   <li>{@code GET /api/v1/alerts/{fingerprint}/history}: every transition and notification.
 *   <li>{@code POST /api/v1/alerts/{fingerprint}/ack}: acknowledges the PagerDuty incident of every
 *       PagerDuty receiver that paged the alert.
 *   <li>{@code GET /api/v1/silences}, {@code POST /api/v1/silences}, {@code DELETE
 *       /api/v1/silences/{id}} (expires it).
 * </ul>
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AlertingResource {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final AlertingService service;

  public AlertingResource(AlertingService service) {
    this.service = service;
  }

  @GET
  @Path("alerts")
  public Response alerts() {
    return guarded(
        v -> {
          Dispatcher d = v.dispatcher();
          long now = v.nowMicros();
          ObjectNode out = F.objectNode();
          out.put("state", v.state().name().toLowerCase(Locale.ROOT));
          ArrayNode errors = out.putArray("receiverErrors");
          v.lastErrors()
              .forEach(
                  (k, e) ->
                      errors
                          .addObject()
                          .put("key", k)
                          .put("error", e)
                          .put("final", AlertingService.isRequestError(e)));
          List<Dispatcher.GroupView> groups = d.groups();
          List<Alert> alerts = new ArrayList<>(d.alerts().all());
          alerts.sort(
              Comparator.comparing((Alert a) -> !a.firing())
                  .thenComparing(Alert::startsAtMicros, Comparator.reverseOrder())
                  .thenComparing(Alert::fingerprint));
          ArrayNode list = out.putArray("alerts");
          for (Alert a : alerts) {
            ObjectNode n = list.addObject();
            n.put("fingerprint", a.fingerprint());
            n.put("rule", a.rule());
            n.put("status", a.status().wireName());
            n.put("flapping", d.alerts().flapping(a.fingerprint(), now));
            n.set("labels", labels(a));
            n.put("summary", a.summary());
            n.put("description", a.description());
            n.put("startsAt", JsonCodec.formatMicros(a.startsAtMicros()));
            n.put(
                "endsAt",
                a.endsAtMicros() == null ? null : JsonCodec.formatMicros(a.endsAtMicros()));
            n.put("updatedAt", JsonCodec.formatMicros(a.updatedAtMicros()));
            ArrayNode hosts = n.putArray("hosts");
            a.hosts().forEach(hosts::add);
            ArrayNode silencedBy = n.putArray("silencedBy");
            n.putNull("inhibitedBy");
            for (String m : d.mutedBy(a.fingerprint(), now)) {
              if (m.startsWith("silence:")) {
                silencedBy.add(m.substring("silence:".length()));
              } else if (m.startsWith("inhibited-by:")) {
                n.put("inhibitedBy", m.substring("inhibited-by:".length()));
              }
            }
            n.put(
                "state",
                !a.firing()
                    ? "resolved"
                    : !silencedBy.isEmpty()
                        ? "silenced"
                        : n.get("inhibitedBy").isNull() ? "active" : "inhibited");
            ArrayNode gs = n.putArray("groups");
            for (Dispatcher.GroupView g : groups) {
              if (g.fingerprints().contains(a.fingerprint())) {
                gs.addObject()
                    .put("key", g.key())
                    .put("receiver", g.receiver())
                    .put("nextFlush", JsonCodec.formatMicros(g.nextFlushMicros()))
                    .put("sending", g.pending());
              }
            }
            ArrayNode told = n.putArray("receivers");
            for (NotificationLogEntry e : d.notificationLog().all()) {
              boolean firing = e.firing().contains(a.fingerprint());
              if (!firing && !e.resolved().contains(a.fingerprint())) {
                continue;
              }
              ObjectNode r = told.addObject();
              r.put("receiver", e.receiver());
              r.put("groupKey", e.groupKey());
              r.put("told", firing ? "firing" : "resolved");
              r.put("dedupKey", e.dedupKey());
              r.put(
                  "sentAt",
                  e.sentAtMicros() == null ? null : JsonCodec.formatMicros(e.sentAtMicros()));
              r.put("lastAttempt", e.outcome());
              r.put("lastAttemptAt", JsonCodec.formatMicros(e.attemptedAtMicros()));
            }
          }
          return Response.ok(out).build();
        });
  }

  @GET
  @Path("alerts/{fingerprint}/history")
  public Response history(@PathParam("fingerprint") String fingerprint) {
    return guarded(
        v -> {
          Dispatcher d = v.dispatcher();
          Optional<Alert> a = d.alerts().get(fingerprint);
          List<ObjectNode> notes = v.notes(fingerprint);
          if (a.isEmpty() && notes.isEmpty()) {
            return notFound("no alert with fingerprint " + fingerprint);
          }
          List<ObjectNode> items = new ArrayList<>();
          for (Transition t : d.alerts().history(fingerprint)) {
            ObjectNode n = F.objectNode();
            n.put("at", JsonCodec.formatMicros(t.atMicros()));
            n.put("kind", "transition");
            n.put("from", t.from() == null ? null : t.from().wireName());
            n.put("to", t.to().wireName());
            items.add(n);
          }
          items.addAll(notes);
          items.sort(Comparator.comparingLong(n -> JsonCodec.parseMicros(n.path("at").asText())));
          ObjectNode out = F.objectNode();
          out.put("fingerprint", fingerprint);
          a.ifPresent(al -> out.set("labels", labels(al)));
          ArrayNode h = out.putArray("history");
          items.forEach(h::add);
          return Response.ok(out).build();
        });
  }

  /** A PagerDuty receiver that paged an alert and the incident it opened. */
  private record Paged(Receiver.PagerDuty receiver, String dedupKey) {}

  @POST
  @Path("alerts/{fingerprint}/ack")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  public Response ack(@PathParam("fingerprint") String fingerprint, JsonNode body) {
    String by = body == null ? "" : body.path("by").asText("");
    if (by.isBlank()) {
      by = "api";
    }
    List<Paged> paged;
    try {
      paged =
          service.call(
              v -> {
                if (v.dispatcher().alerts().get(fingerprint).isEmpty()) {
                  return null;
                }
                List<Paged> out = new ArrayList<>();
                for (NotificationLogEntry e : v.dispatcher().notificationLog().all()) {
                  if (e.firing().contains(fingerprint)
                      && service.config().receivers().get(e.receiver())
                          instanceof Receiver.PagerDuty pd) {
                    out.add(new Paged(pd, e.dedupKey()));
                  }
                }
                return out;
              });
    } catch (IllegalStateException e) {
      return unavailable(e);
    }
    if (paged == null) {
      return notFound("no alert with fingerprint " + fingerprint);
    }
    if (paged.isEmpty()) {
      return error(
          409,
          "no PagerDuty receiver has an open incident for alert "
              + fingerprint
              + " (it was not paged, or its resolve was already sent): nothing to acknowledge");
    }
    ObjectNode out = F.objectNode();
    ArrayNode results = out.putArray("acknowledged");
    boolean allOk = true;
    for (Paged p : paged) {
      NotifyResult r =
          service
              .pagerDuty()
              .acknowledge(p.receiver().url(), p.receiver().routingKey(), p.dedupKey());
      allOk &= r.delivered();
      String outcome = r.delivered() ? "acknowledged" : "failed: " + r.detail();
      results
          .addObject()
          .put("receiver", p.receiver().name())
          .put("dedupKey", p.dedupKey())
          .put("delivered", r.delivered())
          .put("detail", r.detail());
      String who = by;
      try {
        service.call(
            v -> {
              v.recordAck(fingerprint, p.receiver().name(), who, outcome);
              return null;
            });
      } catch (IllegalStateException e) {
        return unavailable(e);
      }
    }
    return Response.status(allOk ? 200 : 502).entity(out).build();
  }

  @GET
  @Path("silences")
  public Response silences() {
    return guarded(
        v -> {
          long now = v.nowMicros();
          ArrayNode out = F.arrayNode();
          for (Silence s : v.silences().all()) {
            out.add(silenceNode(s, now));
          }
          return Response.ok(out).build();
        });
  }

  @POST
  @Path("silences")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response createSilence(JsonNode body) {
    List<ObjectNode> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return badRequest(
          List.of(
              fieldError(
                  "body",
                  "a JSON object {matchers, author, comment, startsAt, endsAt} is required")));
    }
    List<Matcher> matchers = new ArrayList<>();
    JsonNode ms = body.get("matchers");
    if (ms == null || !ms.isArray() || ms.isEmpty()) {
      errors.add(
          fieldError(
              "matchers",
              "a non-empty list is required, e.g. [\"host=\\\"n1\\\"\"] or"
                  + " [{\"name\":\"host\",\"op\":\"=\",\"value\":\"n1\"}]"));
    } else {
      for (int i = 0; i < ms.size(); i++) {
        JsonNode m = ms.get(i);
        try {
          if (m.isTextual()) {
            matchers.add(Matcher.parse(m.asText()));
          } else if (m.isObject()) {
            matchers.add(
                new Matcher(
                    m.path("name").asText(""),
                    Matcher.Op.of(m.path("op").asText("=")),
                    m.path("value").asText("")));
          } else {
            errors.add(fieldError("matchers[" + i + "]", "a string or an object"));
          }
        } catch (IllegalArgumentException e) {
          errors.add(fieldError("matchers[" + i + "]", e.getMessage()));
        }
      }
    }
    String author = text(body, "author");
    if (author == null) {
      author = text(body, "createdBy");
    }
    if (author == null) {
      errors.add(fieldError("author", "who is silencing is required"));
    }
    String comment = text(body, "comment");
    if (comment == null) {
      errors.add(fieldError("comment", "why is required"));
    }
    Long startsAt = time(body, "startsAt", errors);
    Long endsAt = time(body, "endsAt", errors);
    if (endsAt == null && !body.has("endsAt")) {
      errors.add(fieldError("endsAt", "required (ISO-8601, e.g. 2030-01-01T12:00:00Z)"));
    }
    if (!errors.isEmpty()) {
      return badRequest(errors);
    }
    String who = author;
    try {
      return service.call(
          v -> {
            long start = startsAt == null ? v.nowMicros() : startsAt;
            Silence s;
            try {
              s = v.silences().create(matchers, who, comment, start, endsAt);
            } catch (IllegalArgumentException e) {
              return badRequest(List.of(fieldError(fieldOf(e.getMessage()), e.getMessage())));
            }
            v.write(Topics.SILENCES, s.id(), SilenceJson.toBytes(s));
            return Response.status(201).entity(silenceNode(s, v.nowMicros())).build();
          });
    } catch (IllegalStateException e) {
      return unavailable(e);
    }
  }

  @DELETE
  @Path("silences/{id}")
  public Response expire(@PathParam("id") String id) {
    return guarded(
        v -> {
          Optional<Silence> cur = v.silences().get(id);
          if (cur.isEmpty()) {
            return notFound("no silence with id " + id);
          }
          Optional<Silence> ended = v.silences().expire(id);
          if (ended.isEmpty()) {
            return error(409, "silence " + id + " has already ended");
          }
          v.write(Topics.SILENCES, id, SilenceJson.toBytes(ended.get()));
          return Response.ok(silenceNode(ended.get(), v.nowMicros())).build();
        });
  }

  // ---------------------------------------------------------------- helpers

  private Response guarded(java.util.function.Function<AlertingService.View, Response> f) {
    try {
      return service.call(
          v -> {
            if (v.state() == AlertingService.State.REPLAYING
                || v.state() == AlertingService.State.STARTING) {
              return error(
                  503,
                  "alerting is replaying its topics after a start; try again in a few seconds");
            }
            return f.apply(v);
          });
    } catch (IllegalStateException e) {
      return unavailable(e);
    }
  }

  private static ObjectNode silenceNode(Silence s, long now) {
    ObjectNode n = SilenceJson.toNode(s);
    n.remove("v");
    n.remove("type");
    n.put("author", s.createdBy());
    n.put("state", s.expiredAt(now) ? "expired" : s.activeAt(now) ? "active" : "pending");
    return n;
  }

  private static ObjectNode labels(Alert a) {
    ObjectNode l = F.objectNode();
    new java.util.TreeMap<>(a.labels()).forEach(l::put);
    return l;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
  }

  private static Long time(JsonNode body, String field, List<ObjectNode> errors) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      return JsonCodec.parseMicros(n.asText());
    } catch (DateTimeException e) {
      errors.add(
          fieldError(
              field,
              "'" + n.asText() + "' is not an ISO-8601 instant such as 2030-01-01T12:00:00Z"));
      return null;
    }
  }

  private static String fieldOf(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("matcher")) {
      return "matchers";
    }
    if (m.contains("createdby")) {
      return "author";
    }
    if (m.contains("comment")) {
      return "comment";
    }
    if (m.contains("endsat")) {
      return "endsAt";
    }
    if (m.contains("startsat")) {
      return "startsAt";
    }
    return "body";
  }

  private static ObjectNode fieldError(String field, String message) {
    return F.objectNode().put("field", field).put("message", message);
  }

  private static Response badRequest(List<ObjectNode> errors) {
    ObjectNode out = F.objectNode();
    StringBuilder msg = new StringBuilder("invalid silence:");
    errors.forEach(
        e ->
            msg.append(' ')
                .append(e.get("field").asText())
                .append(": ")
                .append(e.get("message").asText())
                .append(';'));
    out.put("error", msg.toString());
    ArrayNode a = out.putArray("errors");
    errors.forEach(a::add);
    return Response.status(400).entity(out).build();
  }

  private static Response notFound(String message) {
    return error(404, message);
  }

  private static Response unavailable(IllegalStateException e) {
    return error(503, e.getMessage());
  }

  private static Response error(int status, String message) {
    return Response.status(status).entity(F.objectNode().put("error", message)).build();
  }
}
