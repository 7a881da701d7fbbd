package dev.sixfinger.server.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.scheduler.Scheduler;
import dev.sixfinger.scheduler.SchedulerConfig;
import dev.sixfinger.scheduler.health.HealthBook;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostHealth;
import dev.sixfinger.scheduler.health.HostOverride;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.NotFoundException;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.matching.Host;
import dev.sixfinger.scheduler.matching.JobExplanation;
import dev.sixfinger.scheduler.ranking.Quota;
import dev.sixfinger.scheduler.ranking.Share;
import dev.sixfinger.scheduler.state.SchedulerEvent;
import dev.sixfinger.scheduler.state.SchedulerState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scheduler over HTTP, under {@code /api/v1}: jobs, the queue and why jobs wait, usage, shares,
 * quotas, hosts with their health and why, operator overrides, and executors' instance reports.
 * Every change is durable in Kafka before it is answered.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulerResource {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final SchedulerService service;

  public SchedulerResource(SchedulerService service) {
    this.service = service;
  }

  /** A command whose argument errors (an override ttl out of range, ...) are the client's. */
  private void cmd(java.util.function.Function<Scheduler, List<SchedulerEvent>> f) {
    try {
      service.command(f);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  // ---- jobs -------------------------------------------------------------------------------

  /** A job or a list of jobs, all or none; 201 with the jobs as stored. */
  @POST
  @Path("jobs")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submit(JsonNode body) {
    List<Job> jobs = SchedulerJson.readJobs(body);
    List<SchedulerEvent> events = service.command(s -> s.submit(jobs));
    List<String> uuids = new ArrayList<>();
    for (SchedulerEvent e : events) {
      if (e instanceof SchedulerEvent.JobSubmitted j) {
        uuids.add(j.job().uuid());
      }
    }
    ArrayNode out =
        service.query(
            s -> {
              ArrayNode a = F.arrayNode();
              uuids.forEach(u -> a.add(SchedulerJson.job(s.state().job(u))));
              return a;
            });
    return Response.status(201).entity(F.objectNode().set("jobs", out)).build();
  }

  @GET
  @Path("jobs")
  public Response list(
      @QueryParam("user") String user,
      @QueryParam("state") String state,
      @QueryParam("limit") @DefaultValue("10000") int limit) {
    JobState wanted = null;
    if (state != null && !state.isBlank()) {
      try {
        wanted = JobState.valueOf(state.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            "state must be waiting, running or completed, got '" + state + "'");
      }
    }
    if (limit < 1) {
      throw new BadRequestException("limit must be at least 1, got " + limit);
    }
    JobState w = wanted;
    int[] total = new int[1];
    ArrayNode jobs =
        service.query(
            s -> {
              ArrayNode a = F.arrayNode();
              for (JobStatus j : s.state().jobs().values()) {
                if ((user == null || j.job().user().equals(user))
                    && (w == null || j.state() == w)) {
                  total[0]++;
                  if (a.size() < limit) {
                    a.add(SchedulerJson.job(j));
                  }
                }
              }
              return a;
            });
    return Response.ok(F.objectNode().put("total", total[0]).set("jobs", jobs))
        .header("X-Sixfinger-Total", total[0])
        .build();
  }

  @GET
  @Path("jobs/{uuid}")
  public ObjectNode job(@PathParam("uuid") String uuid) {
    return service.query(s -> SchedulerJson.job(known(s, uuid)));
  }

  /** Kills a job: it completes, and its running instance fails with killed-by-user. */
  @DELETE
  @Path("jobs/{uuid}")
  public ObjectNode kill(
      @PathParam("uuid") String uuid, @QueryParam("by") @DefaultValue("api") String by) {
    service.command(s -> s.kill(uuid, by));
    return job(uuid);
  }

  private static JobStatus known(Scheduler s, String uuid) {
    JobStatus j = s.state().job(uuid);
    if (j == null) {
      throw new NotFoundException("no job " + uuid);
    }
    return j;
  }

  // ---- the queue --------------------------------------------------------------------------

  @GET
  @Path("queue")
  public ObjectNode queue(@QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1) {
      throw new BadRequestException("limit must be at least 1, got " + limit);
    }
    return service.query(
        s -> {
          ObjectNode n = F.objectNode();
          n.put("policy", s.config().policy().name().toLowerCase(Locale.ROOT));
          ArrayNode a = n.putArray("jobs");
          for (Scheduler.Queued q : s.queue(limit)) {
            ObjectNode o = a.addObject();
            o.put("rank", q.rank());
            o.put("score", q.score());
            o.put("uuid", q.status().uuid());
            o.put("user", q.status().job().user());
            o.put("priority", q.status().job().priority());
            o.set("resources", SchedulerJson.resources(q.status().job().resources()));
            o.put("submitted", JsonCodec.formatMicros(q.status().job().submitMicros()));
            o.put("reason", q.why().kind().name().toLowerCase(Locale.ROOT));
            o.put("why", q.why().message());
          }
          int waiting = 0;
          for (JobStatus j : s.state().activeJobs()) {
            if (j.state() == JobState.WAITING) {
              waiting++;
            }
          }
          n.put("waiting", waiting);
          return n;
        });
  }

  /** Why a job waits, in words. */
  @GET
  @Path("unscheduled/{uuid}")
  public ObjectNode unscheduled(@PathParam("uuid") String uuid) {
    JobExplanation e = service.query(s -> s.explain(uuid));
    ObjectNode n = F.objectNode();
    n.put("uuid", e.uuid());
    n.put("reason", e.kind().name().toLowerCase(Locale.ROOT));
    n.put("why", e.message());
    ArrayNode hosts = n.putArray("hosts");
    e.hosts().forEach(hosts::add);
    return n;
  }

  // ---- usage, shares, quotas --------------------------------------------------------------

  @GET
  @Path("usage")
  public ObjectNode usage(@QueryParam("user") String user) {
    return service.query(
        s -> {
          Map<String, Resources> running = new TreeMap<>();
          Map<String, int[]> counts = new TreeMap<>();
          for (JobStatus j : s.state().activeJobs()) {
            String u = j.job().user();
            if (user != null && !user.equals(u)) {
              continue;
            }
            int[] c = counts.computeIfAbsent(u, k -> new int[2]);
            if (j.activeInstance() != null) {
              running.merge(u, j.job().resources(), Resources::plus);
              c[0]++;
            } else {
              c[1]++;
            }
          }
          ObjectNode n = F.objectNode();
          n.set("cluster", SchedulerJson.resources(s.state().cluster().capacity()));
          ObjectNode users = n.putObject("users");
          counts.forEach(
              (u, c) -> {
                ObjectNode o = users.putObject(u);
                o.set("running", SchedulerJson.resources(running.getOrDefault(u, Resources.ZERO)));
                o.put("runningJobs", c[0]);
                o.put("waitingJobs", c[1]);
                Share sh = s.config().shares().of(u);
                Resources r = running.getOrDefault(u, Resources.ZERO);
                o.put("dominantShare", Math.max(r.cpus() / sh.cpus(), r.memMib() / sh.memMib()));
              });
          return n;
        });
  }

  @GET
  @Path("shares")
  public ObjectNode shares() {
    SchedulerConfig c = service.config();
    ObjectNode n = F.objectNode();
    c.shares()
        .asMap()
        .forEach(
            (u, s) ->
                n.putObject(u).put("cpus", s.cpus()).put("mem", s.memMib()).put("gpus", s.gpus()));
    return n;
  }

  @GET
  @Path("quotas")
  public ObjectNode quotas() {
    SchedulerConfig c = service.config();
    ObjectNode n = F.objectNode();
    c.quotas()
        .asMap()
        .forEach(
            (u, q) -> {
              ObjectNode o = n.putObject(u);
              if (q.cpus() == Quota.UNLIMITED.cpus()) {
                o.putNull("cpus");
              } else {
                o.put("cpus", q.cpus());
              }
              if (q.memMib() == Quota.UNLIMITED.memMib()) {
                o.putNull("mem");
              } else {
                o.put("mem", q.memMib());
              }
              if (q.count() == Quota.UNLIMITED.count()) {
                o.putNull("count");
              } else {
                o.put("count", q.count());
              }
            });
    return n;
  }

  // ---- hosts ------------------------------------------------------------------------------

  @GET
  @Path("hosts")
  public ObjectNode hosts() {
    return service.query(
        s -> {
          SchedulerState st = s.state();
          TreeSet<String> names = new TreeSet<>(st.cluster().asMap().keySet());
          names.addAll(st.health().asMap().keySet());
          ObjectNode n = F.objectNode();
          ArrayNode a = n.putArray("hosts");
          for (String h : names) {
            a.add(host(s, h));
          }
          return n;
        });
  }

  @GET
  @Path("hosts/{host}")
  public ObjectNode host(@PathParam("host") String host) {
    return service.query(
        s -> {
          if (s.state().cluster().get(host) == null
              && !s.state().health().asMap().containsKey(host)) {
            throw new NotFoundException("no host " + host);
          }
          return host(s, host);
        });
  }

  private static ObjectNode host(Scheduler s, String name) {
    SchedulerState st = s.state();
    ObjectNode o = F.objectNode();
    o.put("host", name);
    Host h = st.cluster().get(name);
    if (h != null) {
      o.set("capacity", SchedulerJson.resources(h.capacity()));
      o.set("used", SchedulerJson.resources(h.used()));
      ObjectNode attrs = o.putObject("attributes");
      h.attributes().forEach(attrs::put);
    } else {
      o.putNull("capacity");
    }
    HostHealth hh = st.health().get(name);
    o.put("state", hh.state().wireName());
    o.put("cause", hh.cause());
    o.put("detail", hh.detail());
    o.put("since", hh.sinceMicros() == 0 ? null : JsonCodec.formatMicros(hh.sinceMicros()));
    o.put(
        "drainDeadline",
        hh.drainDeadlineMicros() == 0 ? null : JsonCodec.formatMicros(hh.drainDeadlineMicros()));
    HostOverride ov = hh.override();
    if (ov == null) {
      o.putNull("override");
    } else {
      o.putObject("override")
          .put("state", ov.state().wireName())
          .put("author", ov.author())
          .put("reason", ov.reason())
          .put("setAt", JsonCodec.formatMicros(ov.setAtMicros()))
          .put("expiresAt", JsonCodec.formatMicros(ov.expiresAtMicros()));
    }
    if (hh.guardRail() == null) {
      o.putNull("guardRail");
    } else {
      o.putObject("guardRail")
          .put("kind", hh.guardRail().kind())
          .put("fingerprint", hh.guardRail().fingerprint())
          .put("message", hh.guardRail().message());
    }
    HealthRecord r = hh.record();
    ArrayNode decisions = o.putArray("decisions");
    if (r != null) {
      for (HealthRecord.Decision d : r.decisions()) {
        ObjectNode x = decisions.addObject();
        x.put("rule", d.rule());
        x.put("action", d.action());
        x.put("reason", d.reason());
        x.put("since", JsonCodec.formatMicros(d.sinceMicros()));
        x.put("dryRun", s.config().health().dryRunRules().contains(d.rule()));
        x.put("evidence", d.evidence().size());
      }
      o.put("recordExpiresAt", JsonCodec.formatMicros(r.expiresAtMicros()));
    }
    HealthBook.Explanation e = s.explainHost(name);
    ArrayNode why = o.putArray("why");
    e.why().forEach(why::add);
    return o;
  }

  /** {@code {"state":"drain","ttl":"2 hours","author":"jo","reason":"bad DIMM"}}. */
  @PUT
  @Path("hosts/{host}/override")
  @Consumes(MediaType.APPLICATION_JSON)
  public ObjectNode override(@PathParam("host") String host, JsonNode body) {
    List<String> v = new ArrayList<>();
    if (body == null || !body.isObject()) {
      throw new BadRequestException(
          "the body must be {\"state\": \"healthy|cordon|drain\", \"ttl\": \"2 hours\","
              + " \"author\": \"...\", \"reason\": \"...\"}");
    }
    HealthState state = null;
    try {
      state = HealthState.parse(body.path("state").asText(null));
    } catch (IllegalArgumentException e) {
      v.add(e.getMessage());
    }
    long ttlMicros = 0;
    JsonNode ttl = body.get("ttl");
    if (ttl == null || ttl.isNull()) {
      v.add("ttl is required: seconds, or a duration such as \"30 minutes\" (at most 30 days)");
    } else if (ttl.isNumber()) {
      ttlMicros = Math.round(ttl.asDouble() * 1_000_000);
    } else {
      try {
        ttlMicros = io.dropwizard.util.Duration.parse(ttl.asText()).toMicroseconds();
      } catch (IllegalArgumentException e) {
        v.add("ttl '" + ttl.asText() + "' must be seconds or a duration such as \"30 minutes\"");
      }
    }
    String author = body.path("author").asText("");
    String reason = body.path("reason").asText("");
    if (author.isBlank()) {
      v.add("author is required: who sets the override");
    }
    if (reason.isBlank()) {
      v.add("reason is required: why, for whoever looks at the host next");
    }
    if (!v.isEmpty()) {
      throw new BadRequestException(v);
    }
    HealthState st = state;
    long t = ttlMicros;
    cmd(s -> s.override(host, st, t, author, reason));
    return service.query(s -> host(s, host));
  }

  @DELETE
  @Path("hosts/{host}/override")
  public ObjectNode clearOverride(
      @PathParam("host") String host, @QueryParam("author") @DefaultValue("api") String author) {
    cmd(s -> s.clearOverride(host, author));
    return service.query(s -> host(s, host));
  }

  // ---- executors --------------------------------------------------------------------------

  /**
   * {@code {"state":"running"}}, {@code {"state":"success"}}, {@code
   * {"state":"failed","reason":"nonzero-exit"}}.
   */
  @POST
  @Path("instances/{taskId}/status")
  @Consumes(MediaType.APPLICATION_JSON)
  public ObjectNode instanceStatus(@PathParam("taskId") String taskId, JsonNode body) {
    if (body == null || !body.path("state").isTextual()) {
      throw new BadRequestException(
          "the body must be {\"state\": \"running|success|failed\", \"reason\": \"...\"}");
    }
    List<String> v = new ArrayList<>();
    InstanceState state = null;
    try {
      state = InstanceState.parse(body.get("state").asText());
      if (state == InstanceState.UNKNOWN) {
        v.add("state must be running, success or failed");
      }
    } catch (IllegalArgumentException e) {
      v.add(e.getMessage());
    }
    Reason reason = null;
    if (body.path("reason").isTextual()) {
      try {
        reason = Reason.parse(body.get("reason").asText());
      } catch (IllegalArgumentException e) {
        List<String> codes = new ArrayList<>();
        for (Reason r : Reason.values()) {
          codes.add(r.code());
        }
        v.add(e.getMessage() + "; known: " + codes);
      }
    }
    if (!v.isEmpty()) {
      throw new BadRequestException(v);
    }
    InstanceState st = state;
    Reason r = reason;
    cmd(s -> s.instanceUpdate(taskId, st, r));
    return service.query(
        s -> {
          String uuid = s.state().jobOfTask(taskId);
          return SchedulerJson.job(s.state().job(uuid));
        });
  }
}
