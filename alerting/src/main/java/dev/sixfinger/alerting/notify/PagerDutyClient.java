package dev.sixfinger.alerting.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * PagerDuty Events API v2 ({@code POST {url}/v2/enqueue}) on {@link java.net.http.HttpClient}: one
 * incident per aggregation group and receiver, identified by {@link Notification#dedupKey()}. A
 * notification with firing alerts is a {@code trigger} (PagerDuty merges repeated triggers into the
 * open incident), one with nothing left open is a {@code resolve}.
 *
 * <p>Limits kept: summary at most {@value #MAX_SUMMARY} characters; the whole event under {@value
 * #MAX_EVENT_BYTES} bytes, by dropping evidence, then descriptions, then alerts from {@code
 * custom_details}. Retries (429, 5xx, I/O errors) and rate limits per routing key are {@link
 * HttpSender}'s; a 400 is final and its error text is returned.
 */
public final class PagerDutyClient implements Notifier {
  public static final int MAX_SUMMARY = 1024;
  public static final int MAX_EVENT_BYTES = 512 * 1024;
  public static final int MAX_DEDUP_KEY = 255;

  /** Default limit per routing key: bursts of 20, 120 events per minute. */
  public static final int DEFAULT_BURST = 20;

  public static final int DEFAULT_PER_MINUTE = 120;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final HttpSender http;

  public PagerDutyClient(HttpSender http) {
    this.http = http;
  }

  /** The action a notification maps to. */
  public enum Action {
    TRIGGER,
    ACKNOWLEDGE,
    RESOLVE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public NotifyResult notify(Notification n) {
    if (!(n.receiver() instanceof Receiver.PagerDuty pd)) {
      throw new IllegalArgumentException("not a PagerDuty receiver: " + n.receiverName());
    }
    ObjectNode event;
    if (!n.firing().isEmpty()) {
      event = trigger(pd.routingKey(), n);
    } else if (!n.isFiring()) {
      event = action(pd.routingKey(), Action.RESOLVE, n.dedupKey());
    } else {
      return NotifyResult.nothingToSend(
          "incident stays open for " + n.stillOpen().size() + " silenced or inhibited alert(s)");
    }
    return send(pd.url(), pd.routingKey(), event);
  }

  /** Acknowledges the incident of {@code dedupKey} (for an acknowledge button in the console). */
  public NotifyResult acknowledge(URI baseUrl, String routingKey, String dedupKey) {
    return send(baseUrl, routingKey, action(routingKey, Action.ACKNOWLEDGE, dedupKey));
  }

  /** Resolves the incident of {@code dedupKey}. */
  public NotifyResult resolve(URI baseUrl, String routingKey, String dedupKey) {
    return send(baseUrl, routingKey, action(routingKey, Action.RESOLVE, dedupKey));
  }

  /** Sends one event as it is. */
  public NotifyResult send(URI baseUrl, String routingKey, ObjectNode event) {
    byte[] body = bytes(event);
    URI uri = URI.create(stripSlash(baseUrl.toString()) + "/v2/enqueue");
    HttpSender.Response r;
    try {
      r = http.post(uri, body, routingKey);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NotifyResult.failed(0, 0, "interrupted");
    }
    if (r.status() == 202 || r.ok()) {
      return NotifyResult.delivered(r.attempts(), r.status(), r.body());
    }
    return NotifyResult.failed(r.attempts(), r.status(), describe(r));
  }

  private static String describe(HttpSender.Response r) {
    if (r.status() == 0) {
      return r.body() + " after " + r.attempts() + " attempt(s)";
    }
    String text = r.body();
    try {
      JsonNode n = MAPPER.readTree(r.body());
      if (n != null && n.isObject()) {
        List<String> errors = new ArrayList<>();
        n.path("errors").forEach(e -> errors.add(e.asText()));
        text =
            n.path("status").asText("")
                + ": "
                + n.path("message").asText("")
                + (errors.isEmpty() ? "" : " " + errors);
      }
    } catch (IOException e) {
      // not JSON: keep the body as it is
    }
    return "PagerDuty answered " + r.status() + " after " + r.attempts() + " attempt(s): " + text;
  }

  /** A trigger event for the notification, cut to PagerDuty's limits. */
  public static ObjectNode trigger(String routingKey, Notification n) {
    ObjectNode e = action(routingKey, Action.TRIGGER, n.dedupKey());
    ObjectNode p = e.putObject("payload");
    p.put("summary", cut(summary(n), MAX_SUMMARY));
    p.put("source", source(n));
    p.put("severity", severity(n.firing()));
    p.put("timestamp", JsonCodec.formatMicros(n.firing().get(0).startsAtMicros()));
    String alertname = n.firing().get(0).alertname();
    if (alertname != null) {
      p.put("class", alertname);
    }
    String group = n.groupLabels().get("team");
    if (group != null) {
      p.put("group", group);
    }
    e.put("client", "Sixfinger");
    e.put("client_url", n.externalUrl().toString());
    ArrayNode links = e.putArray("links");
    links
        .addObject()
        .put("href", consoleLink(n))
        .put("text", "Sixfinger: " + n.firing().size() + " firing");
    for (int level = 0; ; level++) {
      p.set("custom_details", details(n, level));
      if (bytes(e).length <= MAX_EVENT_BYTES || (level >= 3 && kept(n, level) == 0)) {
        return e;
      }
    }
  }

  static ObjectNode action(String routingKey, Action action, String dedupKey) {
    if (dedupKey.length() > MAX_DEDUP_KEY) {
      throw new IllegalArgumentException("dedup_key longer than " + MAX_DEDUP_KEY);
    }
    ObjectNode e = MAPPER.createObjectNode();
    e.put("routing_key", routingKey);
    e.put("event_action", action.wire());
    e.put("dedup_key", dedupKey);
    return e;
  }

  /** {@code [FIRING:2] disk-full: n1 disk /var is 93% full (+1 more)}. */
  static String summary(Notification n) {
    Alert first = n.firing().get(0);
    StringBuilder b = new StringBuilder();
    b.append("[FIRING:").append(n.firing().size()).append("] ");
    b.append(first.alertname());
    if (first.summary() != null && !first.summary().isBlank()) {
      b.append(": ").append(first.summary());
    }
    if (n.firing().size() > 1) {
      b.append(" (+").append(n.firing().size() - 1).append(" more)");
    }
    if (!n.flapping().isEmpty()) {
      b.append(" [flapping]");
    }
    return b.toString();
  }

  private static String source(Notification n) {
    Set<String> hosts = new LinkedHashSet<>();
    for (Alert a : n.firing()) {
      hosts.addAll(a.hosts());
      String h = a.labels().get("host");
      if (h != null) {
        hosts.add(h);
      }
    }
    if (hosts.isEmpty()) {
      return "sixfinger";
    }
    String s = String.join(",", hosts);
    return cut(s, 255);
  }

  /** The most severe of the alerts, in PagerDuty's four levels. */
  static String severity(List<Alert> alerts) {
    int best = 3;
    for (Alert a : alerts) {
      best = Math.min(best, level(a.severity()));
    }
    return List.of("critical", "error", "warning", "info").get(best);
  }

  private static int level(String severity) {
    if (severity == null) {
      return 1; // an alert without a severity is still an alert: treat it as an error
    }
    return switch (severity.toLowerCase(Locale.ROOT)) {
      case "critical", "fatal", "page", "emergency", "alert" -> 0;
      case "error", "major", "high" -> 1;
      case "warning", "warn", "minor", "medium" -> 2;
      default -> 3;
    };
  }

  /**
   * {@code custom_details} at a trimming level: 0 everything; 1 no evidence; 2 no descriptions or
   * hosts; 3 and more: only the first half, quarter, ... of the alerts.
   */
  private static ObjectNode details(Notification n, int level) {
    ObjectNode d = MAPPER.createObjectNode();
    ObjectNode gl = d.putObject("group_labels");
    new TreeMap<>(n.groupLabels()).forEach(gl::put);
    d.put("group_key", n.groupKey());
    int keep = kept(n, level);
    ArrayNode firing = d.putArray("firing");
    for (Alert a : n.firing().subList(0, keep)) {
      ObjectNode o = firing.addObject();
      o.put("fingerprint", a.fingerprint());
      o.put("summary", a.summary() == null ? null : cut(a.summary(), MAX_SUMMARY));
      ObjectNode labels = o.putObject("labels");
      new TreeMap<>(a.labels()).forEach(labels::put);
      o.put("startsAt", JsonCodec.formatMicros(a.startsAtMicros()));
      if (n.flapping().contains(a.fingerprint())) {
        o.put("flapping", true);
      }
      if (level < 2) {
        o.put("description", a.description());
        ArrayNode hosts = o.putArray("hosts");
        a.hosts().forEach(hosts::add);
      }
      if (level < 1) {
        ArrayNode ev = o.putArray("evidence");
        for (Event x : a.evidence()) {
          ev.add(JsonCodec.toNode(x));
        }
      }
    }
    if (keep < n.firing().size()) {
      d.put("firing_not_shown", n.firing().size() - keep);
    }
    if (level > 0) {
      d.put("trimmed", "to stay under PagerDuty's 512 KB; see the console for everything");
    }
    d.put("resolved", n.resolved().size());
    d.put("silenced_or_inhibited", n.stillOpen().size());
    return d;
  }

  private static int kept(Notification n, int level) {
    int size = n.firing().size();
    return level < 3 ? size : size >> Math.min(level - 2, 31);
  }

  private static String consoleLink(Notification n) {
    return stripSlash(n.externalUrl().toString())
        + "/alerts?group="
        + URLEncoder.encode(n.groupKey(), StandardCharsets.UTF_8);
  }

  /** At most {@code max} characters, ending in an ellipsis when cut, never splitting a pair. */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static byte[] bytes(ObjectNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
