package dev.sixfinger.alerting.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.alerting.alert.Alert;
import dev.sixfinger.alerting.config.Receiver;
import dev.sixfinger.alerting.dispatch.Notification;
import dev.sixfinger.core.codec.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * POSTs Alertmanager's webhook JSON (version "4") so that anything written for Alertmanager's
 * webhook receiver takes Sixfinger's notifications as they are. Firing alerts carry {@code endsAt}
 * {@code 0001-01-01T00:00:00Z}, as Alertmanager writes it.
 */
public final class WebhookNotifier implements Notifier {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final HttpSender http;

  public WebhookNotifier(HttpSender http) {
    this.http = http;
  }

  @Override
  public NotifyResult notify(Notification n) {
    if (!(n.receiver() instanceof Receiver.Webhook w)) {
      throw new IllegalArgumentException("not a webhook receiver: " + n.receiverName());
    }
    byte[] body;
    try {
      body = MAPPER.writeValueAsBytes(message(n, w.maxAlerts()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpSender.Response r;
    try {
      r = http.post(w.url(), body, w.url().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NotifyResult.failed(0, 0, "interrupted");
    }
    if (r.ok()) {
      return NotifyResult.delivered(r.attempts(), r.status(), r.body());
    }
    String why = r.status() == 0 ? r.body() : "webhook answered " + r.status() + ": " + r.body();
    return NotifyResult.failed(
        r.attempts(), r.status(), why + " after " + r.attempts() + " attempt(s)");
  }

  /** The message for a notification, with at most {@code maxAlerts} alerts (0 = all). */
  public static ObjectNode message(Notification n, int maxAlerts) {
    List<Alert> all = new ArrayList<>(n.firing());
    all.addAll(n.resolved());
    int shown = maxAlerts > 0 ? Math.min(maxAlerts, all.size()) : all.size();
    ObjectNode m = MAPPER.createObjectNode();
    m.put("receiver", n.receiverName());
    m.put("status", n.isFiring() ? "firing" : "resolved");
    ArrayNode alerts = m.putArray("alerts");
    for (Alert a : all.subList(0, shown)) {
      boolean firing = n.firing().contains(a);
      ObjectNode o = alerts.addObject();
      o.put("status", firing ? "firing" : "resolved");
      ObjectNode labels = o.putObject("labels");
      new TreeMap<>(a.labels()).forEach(labels::put);
      ObjectNode ann = o.putObject("annotations");
      annotations(a).forEach(ann::put);
      o.put("startsAt", JsonCodec.formatMicros(a.startsAtMicros()));
      o.put(
          "endsAt",
          firing || a.endsAtMicros() == null
              ? ZERO_TIME
              : JsonCodec.formatMicros(a.endsAtMicros()));
      o.put(
          "generatorURL",
          base(n)
              + "/alerts?fingerprint="
              + URLEncoder.encode(a.fingerprint(), StandardCharsets.UTF_8));
      o.put("fingerprint", a.fingerprint());
    }
    ObjectNode gl = m.putObject("groupLabels");
    new TreeMap<>(n.groupLabels()).forEach(gl::put);
    ObjectNode cl = m.putObject("commonLabels");
    common(all, true).forEach(cl::put);
    ObjectNode ca = m.putObject("commonAnnotations");
    common(all, false).forEach(ca::put);
    m.put("externalURL", base(n));
    m.put("version", "4");
    m.put("groupKey", n.groupKey());
    m.put("truncatedAlerts", all.size() - shown);
    return m;
  }

  private static Map<String, String> annotations(Alert a) {
    Map<String, String> out = new TreeMap<>();
    if (a.summary() != null) {
      out.put("summary", a.summary());
    }
    if (a.description() != null) {
      out.put("description", a.description());
    }
    return out;
  }

  /** Labels (or annotations) with the same value in every alert. */
  private static Map<String, String> common(List<Alert> alerts, boolean labels) {
    if (alerts.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out =
        new TreeMap<>(labels ? alerts.get(0).labels() : annotations(alerts.get(0)));
    for (Alert a : alerts.subList(1, alerts.size())) {
      Map<String, String> m = labels ? a.labels() : annotations(a);
      out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    }
    return out;
  }

  private static String base(Notification n) {
    String s = n.externalUrl().toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
