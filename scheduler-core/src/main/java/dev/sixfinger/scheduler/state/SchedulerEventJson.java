package dev.sixfinger.scheduler.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.record.HealthRecord;
import dev.sixfinger.core.record.RecordJson;
import dev.sixfinger.scheduler.health.GuardRailAlert;
import dev.sixfinger.scheduler.health.HealthState;
import dev.sixfinger.scheduler.health.HostOverride;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.InstanceState;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.Reason;
import dev.sixfinger.scheduler.job.Resources;
import dev.sixfinger.scheduler.state.SchedulerEvent.GuardRailReleased;
import dev.sixfinger.scheduler.state.SchedulerEvent.GuardRailTripped;
import dev.sixfinger.scheduler.state.SchedulerEvent.HealthRecordReceived;
import dev.sixfinger.scheduler.state.SchedulerEvent.HostHealthChanged;
import dev.sixfinger.scheduler.state.SchedulerEvent.HostUpdated;
import dev.sixfinger.scheduler.state.SchedulerEvent.InstanceStarted;
import dev.sixfinger.scheduler.state.SchedulerEvent.InstanceUpdated;
import dev.sixfinger.scheduler.state.SchedulerEvent.JobKilled;
import dev.sixfinger.scheduler.state.SchedulerEvent.JobSubmitted;
import dev.sixfinger.scheduler.state.SchedulerEvent.OverrideCleared;
import dev.sixfinger.scheduler.state.SchedulerEvent.OverrideSet;
import dev.sixfinger.scheduler.state.SchedulerEvent.Preempted;
import dev.sixfinger.scheduler.state.SchedulerEvent.ReservationReleased;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of {@link SchedulerEvent}s, version 1, readable with kcat: {@code "v":1}, a {@code
 * type}, times as ISO-8601, cpus as a decimal number and memory in MiB.
 *
 * <pre>
 * {"v":1,"type":"job-submitted","time":"…","job":{"uuid":"j1","user":"alice","command":"…",
 *  "cpus":2.0,"mem":4096,"gpus":0,"priority":50,"maxRetries":1,"maxRuntimeSeconds":604800.0,
 *  "labels":{},"constraints":[{"attribute":"rack","op":"EQUALS","value":"r1"}],"submitted":"…"}}
 * {"v":1,"type":"instance-started","time":"…","uuid":"j1","task":"j1-1","attempt":1,"host":"n1"}
 * {"v":1,"type":"host-health","time":"…","host":"n1","from":"healthy","to":"draining",…}
 * </pre>
 */
public final class SchedulerEventJson {
  public static final int VERSION = 1;
  static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SchedulerEventJson() {}

  public static byte[] toBytes(SchedulerEvent e) {
    try {
      return MAPPER.writeValueAsBytes(toNode(e));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public static String toJson(SchedulerEvent e) {
    return toNode(e).toString();
  }

  public static ObjectNode toNode(SchedulerEvent event) {
    ObjectNode n = F.objectNode();
    n.put("v", VERSION);
    n.put("type", type(event));
    n.put("time", JsonCodec.formatMicros(event.timeMicros()));
    if (event instanceof HostUpdated e) {
      n.put("host", e.host());
      resources(n, e.capacity());
      n.set("attributes", map(e.attributes()));
    } else if (event instanceof JobSubmitted e) {
      n.set("job", job(e.job()));
    } else if (event instanceof JobKilled e) {
      n.put("uuid", e.uuid());
      n.put("by", e.by());
    } else if (event instanceof InstanceStarted e) {
      n.put("uuid", e.uuid());
      n.put("task", e.taskId());
      n.put("attempt", e.attempt());
      n.put("host", e.host());
    } else if (event instanceof InstanceUpdated e) {
      n.put("uuid", e.uuid());
      n.put("task", e.taskId());
      n.put("state", e.state().wireName());
      n.put("reason", e.reason() == null ? null : e.reason().code());
    } else if (event instanceof Preempted e) {
      n.put("host", e.host());
      n.put("forJob", e.forJob());
      ArrayNode v = n.putArray("victims");
      e.victims().forEach(v::add);
    } else if (event instanceof ReservationReleased e) {
      n.put("host", e.host());
      n.put("forJob", e.forJob());
      n.put("why", e.why());
    } else if (event instanceof HealthRecordReceived e) {
      n.set("record", RecordJson.toNode(e.record()));
    } else if (event instanceof HostHealthChanged e) {
      n.put("host", e.host());
      n.put("from", e.from().wireName());
      n.put("to", e.to().wireName());
      n.put("cause", e.cause());
      n.put("detail", e.detail());
      n.put(
          "drainDeadline",
          e.drainDeadlineMicros() == 0 ? null : JsonCodec.formatMicros(e.drainDeadlineMicros()));
    } else if (event instanceof GuardRailTripped e) {
      n.set("alert", alert(e.alert()));
    } else if (event instanceof GuardRailReleased e) {
      n.put("host", e.host());
    } else if (event instanceof OverrideSet e) {
      n.set("override", override(e.override()));
    } else if (event instanceof OverrideCleared e) {
      n.put("host", e.host());
      n.put("author", e.author());
    }
    return n;
  }

  static String type(SchedulerEvent event) {
    if (event instanceof HostUpdated) {
      return "host-updated";
    } else if (event instanceof JobSubmitted) {
      return "job-submitted";
    } else if (event instanceof JobKilled) {
      return "job-killed";
    } else if (event instanceof InstanceStarted) {
      return "instance-started";
    } else if (event instanceof InstanceUpdated) {
      return "instance-updated";
    } else if (event instanceof Preempted) {
      return "preempted";
    } else if (event instanceof ReservationReleased) {
      return "reservation-released";
    } else if (event instanceof HealthRecordReceived) {
      return "health-record";
    } else if (event instanceof HostHealthChanged) {
      return "host-health";
    } else if (event instanceof GuardRailTripped) {
      return "guard-rail";
    } else if (event instanceof GuardRailReleased) {
      return "guard-rail-released";
    } else if (event instanceof OverrideSet) {
      return "override-set";
    }
    return "override-cleared";
  }

  /**
   * Reads an event written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException naming what is missing, malformed, or of an unknown version
   */
  public static SchedulerEvent parse(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON scheduler event: " + e.getMessage(), e);
    }
    return parse(n);
  }

  public static SchedulerEvent parse(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a scheduler event must be a JSON object");
    }
    if (n.path("v").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("unsupported scheduler event version " + n.get("v"));
    }
    String type = n.path("type").asText("");
    try {
      long t = micros(text(n, "time"));
      return switch (type) {
        case "host-updated" ->
            new HostUpdated(t, text(n, "host"), readResources(n), readMap(n.path("attributes")));
        case "job-submitted" -> new JobSubmitted(t, readJob(n.path("job")));
        case "job-killed" -> new JobKilled(t, text(n, "uuid"), text(n, "by"));
        case "instance-started" ->
            new InstanceStarted(
                t, text(n, "uuid"), text(n, "task"), n.path("attempt").asInt(), text(n, "host"));
        case "instance-updated" ->
            new InstanceUpdated(
                t,
                text(n, "uuid"),
                text(n, "task"),
                InstanceState.parse(text(n, "state")),
                n.path("reason").isTextual() ? Reason.parse(n.get("reason").asText()) : null);
        case "preempted" -> {
          List<String> victims = new ArrayList<>();
          n.path("victims").forEach(v -> victims.add(v.asText()));
          yield new Preempted(t, text(n, "host"), text(n, "forJob"), victims);
        }
        case "reservation-released" ->
            new ReservationReleased(t, text(n, "host"), text(n, "forJob"), text(n, "why"));
        case "health-record" -> new HealthRecordReceived(t, readHealthRecord(n.path("record")));
        case "host-health" ->
            new HostHealthChanged(
                t,
                text(n, "host"),
                HealthState.parse(text(n, "from")),
                HealthState.parse(text(n, "to")),
                text(n, "cause"),
                text(n, "detail"),
                n.path("drainDeadline").isTextual() ? micros(n.get("drainDeadline").asText()) : 0);
        case "guard-rail" -> new GuardRailTripped(t, readAlert(n.path("alert")));
        case "guard-rail-released" -> new GuardRailReleased(t, text(n, "host"));
        case "override-set" -> new OverrideSet(t, readOverride(n.path("override")));
        case "override-cleared" -> new OverrideCleared(t, text(n, "host"), text(n, "author"));
        default ->
            throw new IllegalArgumentException("unknown scheduler event type '" + type + "'");
      };
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("bad " + type + " event: " + e.getMessage(), e);
    }
  }

  // ---- parts, shared with snapshots -------------------------------------------------------

  static ObjectNode job(Job j) {
    ObjectNode n = F.objectNode();
    n.put("uuid", j.uuid());
    n.put("user", j.user());
    n.put("command", j.command());
    n.put("cpus", j.cpus());
    n.put("mem", j.memMib());
    n.put("gpus", j.gpus());
    n.put("priority", j.priority());
    n.put("maxRetries", j.maxRetries());
    n.put("maxRuntimeMicros", j.maxRuntimeMicros());
    n.set("labels", map(j.labels()));
    ArrayNode cs = n.putArray("constraints");
    for (Constraint c : j.constraints()) {
      ObjectNode o = cs.addObject();
      o.put("attribute", c.attribute());
      o.put("op", c.op().name());
      o.put("value", c.value());
    }
    n.put("submitted", JsonCodec.formatMicros(j.submitMicros()));
    return n;
  }

  static Job readJob(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("job must be an object");
    }
    List<Constraint> cs = new ArrayList<>();
    for (JsonNode c : n.path("constraints")) {
      cs.add(
          new Constraint(
              text(c, "attribute"), Constraint.Op.parse(text(c, "op")), text(c, "value")));
    }
    return new Job(
        text(n, "uuid"),
        text(n, "user"),
        text(n, "command"),
        n.path("cpus").asDouble(),
        n.path("mem").asLong(),
        n.path("gpus").asInt(),
        n.path("priority").asInt(Job.DEFAULT_PRIORITY),
        n.path("maxRetries").asInt(1),
        n.path("maxRuntimeMicros").asLong(Job.DEFAULT_MAX_RUNTIME_MICROS),
        readMap(n.path("labels")),
        cs,
        micros(text(n, "submitted")));
  }

  static ObjectNode instance(Instance i) {
    ObjectNode n = F.objectNode();
    n.put("task", i.taskId());
    n.put("attempt", i.attempt());
    n.put("host", i.host());
    n.put("state", i.state().wireName());
    n.put("start", JsonCodec.formatMicros(i.startMicros()));
    n.put("end", i.endMicros() == 0 ? null : JsonCodec.formatMicros(i.endMicros()));
    n.put("reason", i.reason() == null ? null : i.reason().code());
    return n;
  }

  static Instance readInstance(String uuid, JsonNode n) {
    return new Instance(
        text(n, "task"),
        uuid,
        n.path("attempt").asInt(),
        text(n, "host"),
        InstanceState.parse(text(n, "state")),
        micros(text(n, "start")),
        n.path("end").isTextual() ? micros(n.get("end").asText()) : 0,
        n.path("reason").isTextual() ? Reason.parse(n.get("reason").asText()) : null);
  }

  static void resources(ObjectNode n, Resources r) {
    n.put("cpus", r.cpus());
    n.put("mem", r.memMib());
    n.put("gpus", r.gpus());
  }

  static Resources readResources(JsonNode n) {
    return Resources.of(n.path("cpus").asDouble(), n.path("mem").asLong(), n.path("gpus").asInt());
  }

  static ObjectNode alert(GuardRailAlert a) {
    ObjectNode n = F.objectNode();
    n.put("kind", a.kind());
    n.put("fingerprint", a.fingerprint());
    n.put("host", a.host());
    n.put("rule", a.rule());
    n.put("action", a.action());
    n.put("message", a.message());
    n.put("time", JsonCodec.formatMicros(a.timeMicros()));
    n.put("automatedOut", a.automatedOut());
    n.put("hosts", a.hosts());
    n.put("removedLastMinute", a.removedLastMinute());
    return n;
  }

  static GuardRailAlert readAlert(JsonNode n) {
    return new GuardRailAlert(
        text(n, "kind"),
        text(n, "host"),
        text(n, "rule"),
        text(n, "action"),
        text(n, "message"),
        micros(text(n, "time")),
        n.path("automatedOut").asInt(),
        n.path("hosts").asInt(),
        n.path("removedLastMinute").asInt());
  }

  static ObjectNode override(HostOverride o) {
    ObjectNode n = F.objectNode();
    n.put("host", o.host());
    n.put("state", o.state().wireName());
    n.put("author", o.author());
    n.put("reason", o.reason());
    n.put("setAt", JsonCodec.formatMicros(o.setAtMicros()));
    n.put("expiresAt", JsonCodec.formatMicros(o.expiresAtMicros()));
    return n;
  }

  static HostOverride readOverride(JsonNode n) {
    return new HostOverride(
        text(n, "host"),
        HealthState.parse(text(n, "state")),
        text(n, "author"),
        text(n, "reason"),
        micros(text(n, "setAt")),
        micros(text(n, "expiresAt")));
  }

  static HealthRecord readHealthRecord(JsonNode n) {
    try {
      return (HealthRecord) RecordJson.parse(MAPPER.writeValueAsBytes(n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("record must be a health record", e);
    }
  }

  static ObjectNode map(Map<String, String> m) {
    ObjectNode o = F.objectNode();
    new TreeMap<>(m).forEach(o::put);
    return o;
  }

  static Map<String, String> readMap(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("scheduler event field '" + field + "' must be a string");
    }
    return v.asText();
  }

  static long micros(String iso) {
    Instant t = Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
