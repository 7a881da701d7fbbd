package dev.sixfinger.alerting.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A local PagerDuty Events API v2 ({@code POST /v2/enqueue}) that enforces the documented contract
 * and records what it accepted. For unit tests here and integration tests of other modules (depend
 * on {@code sixfinger-alerting} with {@code <type>test-jar</type>}).
 *
 * <p>Checks: body at most 512 KB of JSON; {@code routing_key} exactly 32 characters; {@code
 * event_action} one of trigger, acknowledge, resolve; {@code dedup_key} at most 255 characters
 * (required for acknowledge and resolve); for trigger a {@code payload} with {@code summary} (at
 * most 1024 characters), {@code source} and {@code severity} (critical, error, warning or info).
 * Answers 202 {@code {"status":"success","message":"Event processed","dedup_key":…}} or 400 {@code
 * {"status":"invalid event","message":"Event object is invalid","errors":[…]}}; {@link #failNext}
 * makes the next requests answer 429 or 5xx instead.
 *
 * <pre>
 * try (PagerDutyTestServer pd = PagerDutyTestServer.start()) {
 *   ... configure a receiver with url = pd.baseUrl() ...
 *   assertThat(pd.openIncidents()).containsKey(dedupKey);
 * }
 * </pre>
 */
public final class PagerDutyTestServer implements AutoCloseable {
  public static final int MAX_BODY = 512 * 1024;
  private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** An accepted event and when it arrived (in order of arrival). */
  public record Accepted(String routingKey, String action, String dedupKey, JsonNode event) {}

  private final HttpServer server;
  private final List<Accepted> accepted = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private final Deque<int[]> failures = new ArrayDeque<>();
  private final Map<String, String> incidents = new LinkedHashMap<>(); // dedup_key -> state
  private final Map<String, JsonNode> lastEvent = new LinkedHashMap<>(); // dedup_key -> event
  private int requests;
  private int duplicates;

  private PagerDutyTestServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of the loopback interface. */
  public static PagerDutyTestServer start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PagerDutyTestServer pd = new PagerDutyTestServer(s);
    s.createContext("/v2/enqueue", pd::handle);
    s.setExecutor(Executors.newFixedThreadPool(2));
    s.start();
    return pd;
  }

  /** The base URL to configure as the receiver's {@code url}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * The next {@code count} requests answer {@code status} (429 or 5xx) without looking at them; a
   * 429 carries {@code Retry-After: retryAfterSeconds} when that is positive.
   */
  public synchronized void failNext(int count, int status, int retryAfterSeconds) {
    for (int i = 0; i < count; i++) {
      failures.add(new int[] {status, retryAfterSeconds});
    }
  }

  public synchronized void failNext(int count, int status) {
    failNext(count, status, 0);
  }

  /** Requests received, whatever their answer. */
  public synchronized int requests() {
    return requests;
  }

  public synchronized List<Accepted> accepted() {
    return List.copyOf(accepted);
  }

  /** The error lists of the events answered 400, in order. */
  public synchronized List<String> rejected() {
    return List.copyOf(rejected);
  }

  /** dedup_key to "triggered" or "acknowledged": incidents not resolved. */
  public synchronized Map<String, String> openIncidents() {
    return Map.copyOf(incidents);
  }

  /**
   * Accepted events that told PagerDuty nothing new: a trigger identical to the previous event of
   * its open incident, or a resolve for an incident that is not open. A system that pages exactly
   * once never sends one (repeat_interval aside).
   */
  public synchronized int duplicates() {
    return duplicates;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, MAPPER.createObjectNode().put("status", "method not allowed"));
        return;
      }
      byte[] body = readAtMost(ex.getRequestBody(), MAX_BODY + 1);
      int[] failure;
      int n;
      synchronized (this) {
        n = ++requests;
        failure = failures.poll();
      }
      if (failure != null) {
        if (failure[0] == 429 && failure[1] > 0) {
          ex.getResponseHeaders().add("Retry-After", Integer.toString(failure[1]));
        }
        String status = failure[0] == 429 ? "throttle event" : "internal error";
        reply(
            ex, failure[0], MAPPER.createObjectNode().put("status", status).put("message", status));
        return;
      }
      List<String> errors = new ArrayList<>();
      JsonNode e = null;
      if (body.length > MAX_BODY) {
        errors.add("Event object exceeds the maximum size of 512 KB");
      } else {
        try {
          e = MAPPER.readTree(body);
        } catch (IOException bad) {
          errors.add("Event object is not valid JSON");
        }
      }
      if (e != null) {
        validate(e, errors);
      } else if (errors.isEmpty()) {
        errors.add("Event object is empty");
      }
      if (!errors.isEmpty()) {
        synchronized (this) {
          rejected.add(String.join("; ", errors));
        }
        ObjectNode r = MAPPER.createObjectNode();
        r.put("status", "invalid event");
        r.put("message", "Event object is invalid");
        errors.forEach(r.putArray("errors")::add);
        reply(ex, 400, r);
        return;
      }
      String action = e.get("event_action").asText();
      String dedup =
          e.path("dedup_key").isTextual() ? e.get("dedup_key").asText() : "generated-" + n;
      synchronized (this) {
        accepted.add(new Accepted(e.get("routing_key").asText(), action, dedup, e));
        String state = incidents.get(dedup);
        switch (action) {
          case "trigger" -> {
            if (state != null && e.equals(lastEvent.get(dedup))) {
              duplicates++;
            }
            if (state == null) {
              incidents.put(dedup, "triggered");
            }
          }
          case "acknowledge" -> {
            if (state != null) {
              incidents.put(dedup, "acknowledged");
            }
          }
          default -> {
            if (state == null) {
              duplicates++;
            }
            incidents.remove(dedup);
          }
        }
        lastEvent.put(dedup, e);
      }
      reply(
          ex,
          202,
          MAPPER
              .createObjectNode()
              .put("status", "success")
              .put("message", "Event processed")
              .put("dedup_key", dedup));
    }
  }

  private static void validate(JsonNode e, List<String> errors) {
    if (!e.isObject()) {
      errors.add("Event object must be a JSON object");
      return;
    }
    JsonNode key = e.get("routing_key");
    if (key == null || !key.isTextual()) {
      errors.add("'routing_key' is missing or blank");
    } else if (key.asText().length() != 32) {
      errors.add("'routing_key' must be 32 characters");
    }
    JsonNode action = e.get("event_action");
    if (action == null || !ACTIONS.contains(action.asText())) {
      errors.add("'event_action' must be one of trigger, acknowledge or resolve");
    }
    JsonNode dedup = e.get("dedup_key");
    if (dedup != null && (!dedup.isTextual() || dedup.asText().length() > 255)) {
      errors.add("'dedup_key' must be a string of at most 255 characters");
    }
    boolean trigger = action != null && "trigger".equals(action.asText());
    if (!trigger && action != null && ACTIONS.contains(action.asText()) && dedup == null) {
      errors.add("'dedup_key' is required for " + action.asText());
    }
    if (trigger) {
      JsonNode p = e.get("payload");
      if (p == null || !p.isObject()) {
        errors.add("'payload' is missing");
        return;
      }
      JsonNode summary = p.get("summary");
      if (summary == null || !summary.isTextual() || summary.asText().isBlank()) {
        errors.add("'payload.summary' is missing or blank");
      } else if (summary.asText().length() > 1024) {
        errors.add("'payload.summary' must be at most 1024 characters");
      }
      JsonNode source = p.get("source");
      if (source == null || !source.isTextual() || source.asText().isBlank()) {
        errors.add("'payload.source' is missing or blank");
      }
      JsonNode severity = p.get("severity");
      if (severity == null || !SEVERITIES.contains(severity.asText())) {
        errors.add("'payload.severity' must be one of critical, error, warning or info");
      }
    }
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] b = in.readNBytes(max);
    in.transferTo(OutputStream.nullOutputStream());
    return b;
  }

  private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] b = MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
