package dev.sixfinger.core.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of {@link EngineRecord}s, version 1 ({@code "v": 1}), with times as ISO-8601 and
 * evidence as Riemann JSON events, so that kcat shows them readably and the indexer can store them
 * as they are. {@code type} says which record it is.
 *
 * <pre>
 * {"v":1,"type":"alert","fingerprint":"…","rule":"swap-in-high","status":"firing",
 *  "severity":"warning","labels":{"alertname":"swap-in-high","host":"n1",…},"summary":"…",
 *  "description":"…","startsAt":"…","endsAt":null,"time":"…","hosts":["n1"],"evidence":[…]}
 * {"v":1,"type":"health","host":"n1","action":"drain","time":"…","expiresAt":"…",
 *  "decisions":[{"rule":"fleet-swap","action":"drain","reason":"…","fingerprint":"…",
 *  "since":"…","evidence":[…]}]}
 * </pre>
 */
public final class RecordJson {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RecordJson() {}

  public static byte[] toBytes(EngineRecord record) {
    try {
      return MAPPER.writeValueAsBytes(toNode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode toNode(EngineRecord record) {
    if (record instanceof AlertRecord a) {
      return alert(a);
    }
    return health((HealthRecord) record);
  }

  private static ObjectNode alert(AlertRecord a) {
    ObjectNode n = F.objectNode();
    n.put("v", VERSION);
    n.put("type", "alert");
    n.put("fingerprint", a.fingerprint());
    n.put("rule", a.rule());
    n.put("status", a.status().wireName());
    n.put("severity", a.severity());
    ObjectNode labels = n.putObject("labels");
    new TreeMap<>(a.labels()).forEach(labels::put);
    n.put("summary", a.summary());
    n.put("description", a.description());
    n.put("startsAt", JsonCodec.formatMicros(a.startsAtMicros()));
    n.put("endsAt", a.endsAtMicros() == null ? null : JsonCodec.formatMicros(a.endsAtMicros()));
    n.put("time", JsonCodec.formatMicros(a.timeMicros()));
    ArrayNode hosts = n.putArray("hosts");
    a.hosts().forEach(hosts::add);
    n.set("evidence", events(a.evidence()));
    return n;
  }

  private static ObjectNode health(HealthRecord h) {
    ObjectNode n = F.objectNode();
    n.put("v", VERSION);
    n.put("type", "health");
    n.put("host", h.host());
    n.put("action", h.action());
    n.put("time", JsonCodec.formatMicros(h.timeMicros()));
    n.put("expiresAt", JsonCodec.formatMicros(h.expiresAtMicros()));
    ArrayNode decisions = n.putArray("decisions");
    for (HealthRecord.Decision d : h.decisions()) {
      ObjectNode o = decisions.addObject();
      o.put("rule", d.rule());
      o.put("action", d.action());
      o.put("reason", d.reason());
      o.put("fingerprint", d.fingerprint());
      o.put("since", JsonCodec.formatMicros(d.sinceMicros()));
      o.set("evidence", events(d.evidence()));
    }
    return n;
  }

  private static ArrayNode events(List<Event> events) {
    ArrayNode a = F.arrayNode();
    events.forEach(e -> a.add(JsonCodec.toNode(e)));
    return a;
  }

  /**
   * Reads a record written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException naming what is missing or of an unknown version or type
   */
  public static EngineRecord parse(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON record: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a record must be a JSON object");
    }
    int v = n.path("v").asInt(-1);
    if (v != VERSION) {
      throw new IllegalArgumentException("unsupported record version " + n.get("v"));
    }
    String type = n.path("type").asText("");
    try {
      return switch (type) {
        case "alert" -> parseAlert(n);
        case "health" -> parseHealth(n);
        default -> throw new IllegalArgumentException("unknown record type '" + type + "'");
      };
    } catch (CodecException | DateTimeException e) {
      throw new IllegalArgumentException("bad " + type + " record: " + e.getMessage(), e);
    }
  }

  private static AlertRecord parseAlert(JsonNode n) {
    Map<String, String> labels = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.path("labels").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      labels.put(e.getKey(), e.getValue().asText());
    }
    List<String> hosts = new ArrayList<>();
    n.path("hosts").forEach(h -> hosts.add(h.asText()));
    JsonNode endsAt = n.path("endsAt");
    return new AlertRecord(
        text(n, "fingerprint"),
        text(n, "rule"),
        status(text(n, "status")),
        n.path("severity").isTextual() ? n.get("severity").asText() : null,
        labels,
        n.path("summary").isTextual() ? n.get("summary").asText() : null,
        n.path("description").isTextual() ? n.get("description").asText() : null,
        micros(text(n, "startsAt")),
        endsAt.isTextual() ? micros(endsAt.asText()) : null,
        micros(text(n, "time")),
        hosts,
        parseEvents(n.path("evidence")));
  }

  private static AlertRecord.Status status(String text) {
    for (AlertRecord.Status s : AlertRecord.Status.values()) {
      if (s.wireName().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("status must be firing or resolved, got '" + text + "'");
  }

  private static HealthRecord parseHealth(JsonNode n) {
    List<HealthRecord.Decision> decisions = new ArrayList<>();
    for (JsonNode d : n.path("decisions")) {
      decisions.add(
          new HealthRecord.Decision(
              text(d, "rule"),
              text(d, "action"),
              d.path("reason").asText(null),
              text(d, "fingerprint"),
              micros(text(d, "since")),
              parseEvents(d.path("evidence"))));
    }
    return new HealthRecord(
        text(n, "host"),
        text(n, "action"),
        micros(text(n, "time")),
        micros(text(n, "expiresAt")),
        decisions);
  }

  private static List<Event> parseEvents(JsonNode array) {
    List<Event> events = new ArrayList<>();
    int i = 0;
    for (JsonNode e : array) {
      events.add(JsonCodec.fromNode(e, "evidence[" + i++ + "]"));
    }
    return events;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("record field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static long micros(String iso) {
    return JsonCodec.parseMicros(iso);
  }
}
