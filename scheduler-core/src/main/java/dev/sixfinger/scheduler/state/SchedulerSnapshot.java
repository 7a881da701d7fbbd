package dev.sixfinger.scheduler.state;

import static dev.sixfinger.scheduler.state.SchedulerEventJson.MAPPER;
import static dev.sixfinger.scheduler.state.SchedulerEventJson.micros;
import static dev.sixfinger.scheduler.state.SchedulerEventJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostHealth;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.JobState;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.matching.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole state as one JSON document ({@code "v":1,"type":"snapshot"}), so that a restart reads
 * the latest snapshot and replays only the events after it. Host usage is not stored: it is derived
 * from the running instances.
 */
public final class SchedulerSnapshot {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SchedulerSnapshot() {}

  public static byte[] write(SchedulerState s) {
    ObjectNode n = F.objectNode();
    n.put("v", SchedulerEventJson.VERSION);
    n.put("type", "snapshot");
    n.put("lastEvent", JsonCodec.formatMicros(s.lastEventMicros()));
    ArrayNode hosts = n.putArray("hosts");
    for (Host h : s.cluster().all()) {
      ObjectNode o = hosts.addObject();
      o.put("host", h.name());
      SchedulerEventJson.resources(o, h.capacity());
      o.set("attributes", SchedulerEventJson.map(h.attributes()));
    }
    ArrayNode jobs = n.putArray("jobs");
    for (JobStatus j : s.jobs().values()) {
      ObjectNode o = jobs.addObject();
      o.set("job", SchedulerEventJson.job(j.job()));
      o.put("state", j.state().wireName());
      o.put("killed", j.killed());
      ArrayNode is = o.putArray("instances");
      j.instances().forEach(i -> is.add(SchedulerEventJson.instance(i)));
    }
    ArrayNode health = n.putArray("health");
    for (HostHealth h : s.health().hosts().values()) {
      ObjectNode o = health.addObject();
      o.put("host", h.host());
      o.put("state", h.state().wireName());
      o.put("cause", h.cause());
      o.put("detail", h.detail());
      o.put("since", h.sinceMicros());
      o.put("drainDeadline", h.drainDeadlineMicros());
      o.set("record", h.record() == null ? null : RecordJson.toNode(h.record()));
      o.set("override", h.override() == null ? null : SchedulerEventJson.override(h.override()));
      o.set("guardRail", h.guardRail() == null ? null : SchedulerEventJson.alert(h.guardRail()));
    }
    ArrayNode removals = n.putArray("recentRemovals");
    s.health().removals().forEach(removals::add);
    ArrayNode reservations = n.putArray("reservations");
    for (Reservation r : s.reservationList()) {
      ObjectNode o = reservations.addObject();
      o.put("host", r.host());
      o.put("job", r.jobUuid());
      o.put("since", r.sinceMicros());
    }
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a snapshot written by {@link #write}.
   *
   * @throws IllegalArgumentException when the snapshot is malformed or of another version
   */
  public static SchedulerState read(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON snapshot: " + e.getMessage(), e);
    }
    if (n == null
        || n.path("v").asInt(-1) != SchedulerEventJson.VERSION
        || !"snapshot".equals(n.path("type").asText())) {
      throw new IllegalArgumentException("not a version 1 scheduler snapshot");
    }
    SchedulerState s = new SchedulerState();
    for (JsonNode h : n.path("hosts")) {
      s.cluster()
          .upsert(
              text(h, "host"),
              SchedulerEventJson.readResources(h),
              SchedulerEventJson.readMap(h.path("attributes")));
    }
    for (JsonNode o : n.path("jobs")) {
      var job = SchedulerEventJson.readJob(o.path("job"));
      List<Instance> instances = new ArrayList<>();
      for (JsonNode i : o.path("instances")) {
        instances.add(SchedulerEventJson.readInstance(job.uuid(), i));
      }
      JobState state = JobState.valueOf(text(o, "state").toUpperCase(java.util.Locale.ROOT));
      s.restoreJob(new JobStatus(job, state, instances, o.path("killed").asBoolean()));
    }
    List<HostHealth> health = new ArrayList<>();
    for (JsonNode o : n.path("health")) {
      health.add(
          new HostHealth(
              text(o, "host"),
              HealthState.parse(text(o, "state")),
              text(o, "cause"),
              text(o, "detail"),
              o.path("since").asLong(),
              o.path("drainDeadline").asLong(),
              o.path("record").isObject()
                  ? SchedulerEventJson.readHealthRecord(o.get("record"))
                  : null,
              o.path("override").isObject()
                  ? SchedulerEventJson.readOverride(o.get("override"))
                  : null,
              o.path("guardRail").isObject()
                  ? SchedulerEventJson.readAlert(o.get("guardRail"))
                  : null));
    }
    List<Long> removals = new ArrayList<>();
    n.path("recentRemovals").forEach(r -> removals.add(r.asLong()));
    s.health().restore(health, removals);
    for (JsonNode o : n.path("reservations")) {
      s.restoreReservation(
          new Reservation(text(o, "host"), text(o, "job"), o.path("since").asLong()));
    }
    s.restoreLastEvent(micros(text(n, "lastEvent")));
    return s;
  }
}
