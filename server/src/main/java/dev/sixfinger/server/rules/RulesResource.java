package dev.sixfinger.server.rules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.record.AlertRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.rules.config.Rule;
import dev.sixfinger.rules.config.RuleError;
import dev.sixfinger.rules.engine.ReloadResult;
import dev.sixfinger.rules.runner.EngineRunner;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rules engine over HTTP.
 *
 * <ul>
 *   <li>{@code GET /api/v1/rules}: the engine's state, the rules with how many events each was
 *       handed, the alerts firing, and the last reload with its errors.
 *   <li>{@code POST /api/v1/rules/reload}: reloads the rule files now. 200 with what was kept,
 *       added, changed and removed; 422 with every error (file, line, column) when the files are
 *       invalid, in which case the running rules stay.
 * </ul>
 */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final RulesService rules;

  public RulesResource(RulesService rules) {
    this.rules = rules;
  }

  @GET
  public ObjectNode status() {
    EngineRunner.Status s = rules.status();
    ObjectNode n = F.objectNode();
    n.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
    n.put("error", s.lastError());
    n.put("dir", rules.dir().toString());
    n.put(
        "engineTime",
        s.engineTimeMicros() == 0 ? null : JsonCodec.formatMicros(s.engineTimeMicros()));
    n.put("eventsProcessed", s.eventsProcessed());
    n.put("recordsEmitted", s.recordsEmitted());
    n.put("ticksWritten", s.ticksWritten());
    n.put("undecodable", s.undecodable());
    n.put("snapshots", s.snapshots());
    n.put("lastSnapshotBytes", s.lastSnapshotBytes());
    n.put("indexSize", s.indexSize());
    ArrayNode list = n.putArray("rules");
    s.evaluations()
        .forEach(
            (name, count) -> {
              ObjectNode r = list.addObject().put("name", name).put("evaluations", count);
              Rule rule = s.rules().get(name);
              if (rule != null) {
                r.put("file", rule.file()).put("line", rule.line());
              }
            });
    ArrayNode firing = n.putArray("firing");
    for (AlertRecord a : s.firing()) {
      firing.add(RecordJson.toNode(a));
    }
    ReloadResult last = rules.lastReload();
    n.set("lastReload", last == null ? F.nullNode() : reloadJson(last));
    return n;
  }

  @POST
  @Path("reload")
  public Response reload() throws InterruptedException {
    ReloadResult result;
    try {
      result = rules.reload().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      ObjectNode err =
          F.objectNode().put("code", 503).put("error", "reload did not complete: " + e);
      return Response.status(503).entity(err).build();
    }
    return Response.status(result.applied() ? 200 : 422).entity(reloadJson(result)).build();
  }

  static ObjectNode reloadJson(ReloadResult r) {
    ObjectNode n = F.objectNode();
    n.put("applied", r.applied());
    strings(n.putArray("kept"), r.kept());
    strings(n.putArray("added"), r.added());
    strings(n.putArray("changed"), r.changed());
    strings(n.putArray("removed"), r.removed());
    ArrayNode errors = n.putArray("errors");
    for (RuleError e : r.errors()) {
      errors
          .addObject()
          .put("file", e.file())
          .put("line", e.line())
          .put("column", e.column())
          .put("message", e.message())
          .put("text", e.toString());
    }
    return n;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
