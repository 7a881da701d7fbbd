package dev.sixfinger.server.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.scheduler.job.Constraint;
import dev.sixfinger.scheduler.job.Instance;
import dev.sixfinger.scheduler.job.Job;
import dev.sixfinger.scheduler.job.JobStatus;
import dev.sixfinger.scheduler.job.Resources;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON of the scheduler's HTTP API: jobs as clients submit them, and jobs with their instances
 * as the API answers.
 *
 * <pre>
 * {"uuid":"6f1c…","user":"alice","command":"python train.py","cpus":2,"mem":4096,"gpus":0,
 *  "priority":50,"maxRetries":3,"maxRuntimeSeconds":3600,"labels":{"team":"ml"},
 *  "constraints":[{"attribute":"rack","op":"EQUALS","value":"r1"}]}
 * </pre>
 */
public final class SchedulerJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final Set<String> JOB_FIELDS =
      Set.of(
          "uuid",
          "user",
          "command",
          "cpus",
          "mem",
          "gpus",
          "priority",
          "maxRetries",
          "maxRuntimeSeconds",
          "labels",
          "constraints");

  /** Most jobs one POST may carry. */
  public static final int MAX_JOBS_PER_REQUEST = 10_000;

  private SchedulerJson() {}

  /**
   * Reads one job (an object) or a list of jobs (an array), checking every field of every job.
   *
   * @throws BadRequestException with every violation, each naming the job and the field
   */
  public static List<Job> readJobs(JsonNode body) {
    List<String> violations = new ArrayList<>();
    List<Job> jobs = new ArrayList<>();
    if (body == null || !(body.isObject() || body.isArray())) {
      throw new BadRequestException(
          "the body must be a job (a JSON object) or a list of jobs (an array)");
    }
    List<JsonNode> items = new ArrayList<>();
    if (body.isArray()) {
      body.forEach(items::add);
      if (items.isEmpty()) {
        throw new BadRequestException("the list of jobs is empty");
      }
      if (items.size() > MAX_JOBS_PER_REQUEST) {
        throw new BadRequestException(
            "the list has " + items.size() + " jobs, at most " + MAX_JOBS_PER_REQUEST);
      }
    } else {
      items.add(body);
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode n = items.get(i);
      String where =
          (body.isArray() ? "jobs[" + i + "]" : "job")
              + (n.path("uuid").isTextual() ? " (uuid " + n.get("uuid").asText() + ")" : "");
      List<String> v = new ArrayList<>();
      Job j = readJob(n, v);
      if (j != null) {
        v.addAll(j.violations());
      }
      v.forEach(x -> violations.add(where + ": " + x));
      if (v.isEmpty()) {
        jobs.add(j);
      }
    }
    if (!violations.isEmpty()) {
      throw new BadRequestException(violations);
    }
    return jobs;
  }

  private static Job readJob(JsonNode n, List<String> v) {
    if (!n.isObject()) {
      v.add(
          "must be a JSON object, got "
              + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      return null;
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!JOB_FIELDS.contains(f)) {
        v.add("unknown field '" + f + "'; known fields: " + new java.util.TreeSet<>(JOB_FIELDS));
      }
    }
    // Each field is checked on its own, with a stand-in after an error, so that the answer names
    // every broken field at once (the job's own range rules included).
    String uuid = text(n, "uuid", v);
    String user = text(n, "user", v);
    String command = text(n, "command", v);
    double cpus = number(n, "cpus", 1, v);
    double mem = number(n, "mem", 1, v);
    if (!n.hasNonNull("cpus")) {
      v.add("cpus is required (a number, e.g. 2 or 0.5)");
    }
    if (!n.hasNonNull("mem")) {
      v.add("mem is required (MiB, an integer)");
    }
    double gpus = number(n, "gpus", 0, v);
    double priority = number(n, "priority", Job.DEFAULT_PRIORITY, v);
    double retries = number(n, "maxRetries", 1, v);
    double runtime =
        number(n, "maxRuntimeSeconds", Job.DEFAULT_MAX_RUNTIME_MICROS / 1_000_000.0, v);
    integral(n, "mem", mem, v);
    integral(n, "gpus", gpus, v);
    integral(n, "priority", priority, v);
    integral(n, "maxRetries", retries, v);
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = n.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        v.add("labels must be an object of strings");
      } else {
        l.fields()
            .forEachRemaining(
                e -> {
                  if (e.getValue().isTextual()) {
                    labels.put(e.getKey(), e.getValue().asText());
                  } else {
                    v.add("labels." + e.getKey() + " must be a string");
                  }
                });
      }
    }
    List<Constraint> constraints = new ArrayList<>();
    JsonNode cs = n.get("constraints");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray()) {
        v.add("constraints must be a list of {attribute, op, value}");
      } else {
        int i = 0;
        for (JsonNode c : cs) {
          String at = "constraints[" + i++ + "]";
          if (!c.path("attribute").isTextual() || !c.path("value").isTextual()) {
            v.add(at + " needs a string attribute and a string value");
            continue;
          }
          try {
            constraints.add(
                new Constraint(
                    c.get("attribute").asText(),
                    Constraint.Op.parse(c.path("op").asText("EQUALS")),
                    c.get("value").asText()));
          } catch (IllegalArgumentException e) {
            v.add(at + ": " + e.getMessage());
          }
        }
      }
    }
    return new Job(
        uuid,
        user,
        command,
        cpus,
        (long) mem,
        (int) gpus,
        (int) priority,
        (int) retries,
        Math.round(runtime * 1_000_000),
        labels,
        constraints,
        0);
  }

  /** The string, or null when missing (the job's own rules then name it), or a stand-in. */
  private static String text(JsonNode n, String field, List<String> v) {
    JsonNode x = n.get(field);
    if (x == null || x.isNull()) {
      return null;
    }
    if (!x.isTextual()) {
      v.add(field + " must be a string, got " + x);
      return "x";
    }
    return x.asText();
  }

  private static double number(JsonNode n, String field, double dflt, List<String> v) {
    JsonNode x = n.get(field);
    if (x == null || x.isNull()) {
      return dflt;
    }
    if (!x.isNumber()) {
      v.add(field + " must be a number, got " + x);
      return dflt;
    }
    return x.asDouble();
  }

  private static void integral(JsonNode n, String field, double value, List<String> v) {
    if (n.path(field).isNumber() && value != Math.rint(value)) {
      v.add(field + " must be a whole number, got " + n.get(field));
    }
  }

  // ---- answers ----------------------------------------------------------------------------

  public static ObjectNode job(JobStatus s) {
    Job j = s.job();
    ObjectNode n = F.objectNode();
    n.put("uuid", j.uuid());
    n.put("user", j.user());
    n.put("command", j.command());
    n.put("cpus", j.cpus());
    n.put("mem", j.memMib());
    n.put("gpus", j.gpus());
    n.put("priority", j.priority());
    n.put("maxRetries", j.maxRetries());
    n.put("maxRuntimeSeconds", j.maxRuntimeMicros() / 1_000_000.0);
    ObjectNode labels = n.putObject("labels");
    new TreeMap<>(j.labels()).forEach(labels::put);
    ArrayNode cs = n.putArray("constraints");
    for (Constraint c : j.constraints()) {
      cs.addObject()
          .put("attribute", c.attribute())
          .put("op", c.op().name())
          .put("value", c.value());
    }
    n.put("submitted", JsonCodec.formatMicros(j.submitMicros()));
    n.put("state", s.state().wireName());
    n.put("killed", s.killed());
    n.put("retriesUsed", s.countedFailures());
    ArrayNode is = n.putArray("instances");
    s.instances().forEach(i -> is.add(instance(i)));
    return n;
  }

  public static ObjectNode instance(Instance i) {
    ObjectNode n = F.objectNode();
    n.put("task", i.taskId());
    n.put("attempt", i.attempt());
    n.put("host", i.host());
    n.put("state", i.state().wireName());
    n.put("start", JsonCodec.formatMicros(i.startMicros()));
    n.put("end", i.endMicros() == 0 ? null : JsonCodec.formatMicros(i.endMicros()));
    n.put("reason", i.reason() == null ? null : i.reason().code());
    n.put("reasonCountsAgainstRetries", i.reason() == null ? null : !i.reason().meaCulpa());
    return n;
  }

  public static ObjectNode resources(Resources r) {
    ObjectNode n = F.objectNode();
    n.put("cpus", r.cpus());
    n.put("mem", r.memMib());
    n.put("gpus", r.gpus());
    return n;
  }

  static Map<String, String> strings(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
