package dev.sixfinger.core.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Riemann event: an immutable value. Every field except tags and attributes may be absent
 * ({@code null}), exactly as on the wire, so that a round trip through any codec gives back the
 * same event.
 *
 * @param host the host the event is about
 * @param service what is measured or checked, e.g. {@code swap/in-rate}
 * @param state a short state such as {@code ok}, {@code warning}, {@code critical}
 * @param description free text
 * @param metric a {@link Long} or a {@link Double} (NaN and infinities allowed), or null
 * @param tags tags, in order, duplicates kept as sent
 * @param attributes free key/value pairs, in the order they were sent
 * @param timeMicros event time in microseconds since the epoch, or null when unset
 * @param ttl seconds the event stays valid, or null for the configured default
 */
public record Event(
    String host,
    String service,
    String state,
    String description,
    Number metric,
    List<String> tags,
    Map<String, String> attributes,
    Long timeMicros,
    Float ttl) {

  public Event {
    if (metric != null && !(metric instanceof Long) && !(metric instanceof Double)) {
      metric = normalizeMetric(metric);
    }
    tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  private static Number normalizeMetric(Number metric) {
    if (metric instanceof Integer || metric instanceof Short || metric instanceof Byte) {
      return metric.longValue();
    }
    return metric.doubleValue();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .service(service)
        .state(state)
        .description(description)
        .metric(metric)
        .tags(tags)
        .attributes(attributes)
        .timeMicros(timeMicros)
        .ttl(ttl);
  }

  /** True when the metric is an integer (Riemann's {@code metric_sint64}). */
  public boolean hasIntegerMetric() {
    return metric instanceof Long;
  }

  /** The metric as a double, or NaN when there is none. */
  public double metricAsDouble() {
    return metric == null ? Double.NaN : metric.doubleValue();
  }

  /** Returns this event with a time and a ttl filled in where they are missing. */
  public Event withDefaults(long receiveTimeMicros, float defaultTtlSeconds) {
    if (timeMicros != null && ttl != null) {
      return this;
    }
    return new Event(
        host,
        service,
        state,
        description,
        metric,
        tags,
        attributes,
        timeMicros != null ? timeMicros : receiveTimeMicros,
        ttl != null ? ttl : defaultTtlSeconds);
  }

  public boolean tagged(String tag) {
    return tags.contains(tag);
  }

  /** Mutable builder; {@link #build()} copies everything. */
  public static final class Builder {
    private String host;
    private String service;
    private String state;
    private String description;
    private Number metric;
    private List<String> tags = new ArrayList<>();
    private Map<String, String> attributes = new LinkedHashMap<>();
    private Long timeMicros;
    private Float ttl;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder state(String state) {
      this.state = state;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder metric(Number metric) {
      this.metric = metric;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = new ArrayList<>(tags);
      return this;
    }

    public Builder tag(String tag) {
      this.tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    public Builder attributes(Map<String, String> attributes) {
      this.attributes = new LinkedHashMap<>(attributes);
      return this;
    }

    public Builder attribute(String key, String value) {
      this.attributes.put(Objects.requireNonNull(key, "attribute key"), value);
      return this;
    }

    public Builder timeMicros(Long timeMicros) {
      this.timeMicros = timeMicros;
      return this;
    }

    public Builder ttl(Float ttl) {
      this.ttl = ttl;
      return this;
    }

    public Event build() {
      return new Event(
          host, service, state, description, metric, tags, attributes, timeMicros, ttl);
    }
  }
}
