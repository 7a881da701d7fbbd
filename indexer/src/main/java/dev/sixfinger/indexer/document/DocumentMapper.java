package dev.sixfinger.indexer.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Kafka records into Elasticsearch documents shaped after the Elastic Common Schema, so that
 * Kibana understands them without setup: {@code @timestamp}, {@code host.name}, {@code
 * service.name}, {@code event.kind}/{@code event.dataset}, {@code message}, {@code tags}, string
 * {@code labels.*} and a numeric {@code metric}.
 *
 * <p>Events (Riemann protobuf) are written field by field. Alert, health and scheduler records
 * (JSON) are stored as they are, with {@code @timestamp} and {@code event} added, and with the
 * plain-string fields that ECS defines as objects ({@code host}, {@code user}, {@code service},
 * {@code rule}) moved to their {@code name}.
 */
public final class DocumentMapper {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final List<String> ECS_OBJECTS = List.of("host", "user", "service", "rule");

  private final IndexNames names;

  public DocumentMapper(IndexNames names) {
    this.names = names;
  }

  public Mapped map(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return Mapped.SKIP; // a tick or a tombstone: nothing happened
    }
    if (record.headers().lastHeader(Topics.TICK_HEADER) != null) {
      return Mapped.SKIP;
    }
    Dataset dataset = Dataset.ofTopic(record.topic()).orElse(null);
    if (dataset == null) {
      return new Mapped.Unreadable("topic " + record.topic() + " is not one the indexer stores");
    }
    String id = IndexDocument.idOf(record.topic(), record.partition(), record.offset());
    try {
      if (dataset == Dataset.EVENTS) {
        Event e = RiemannCodec.decode(record.value());
        long time = e.timeMicros() != null ? e.timeMicros() : record.timestamp() * 1000L;
        return document(names.index(dataset, time), id, eventSource(e, time));
      }
      ObjectNode doc = jsonSource(dataset, record.value(), record.timestamp() * 1000L);
      long time = JsonCodec.parseMicros(doc.get("@timestamp").asText());
      return document(names.index(dataset, time), id, JSON.writeValueAsBytes(doc));
    } catch (CodecException | IllegalArgumentException | DateTimeException | IOException e) {
      return new Mapped.Unreadable(
          "cannot read " + dataset.indexName() + " record: " + e.getMessage());
    }
  }

  private static Mapped document(String index, String id, byte[] source) {
    return new Mapped.Document(new IndexDocument(index, id, source));
  }

  static byte[] eventSource(Event e, long timeMicros) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("@timestamp", JsonCodec.formatMicros(timeMicros));
      if (e.host() != null) {
        g.writeObjectFieldStart("host");
        g.writeStringField("name", e.host());
        g.writeEndObject();
      }
      if (e.service() != null) {
        g.writeObjectFieldStart("service");
        g.writeStringField("name", e.service());
        g.writeEndObject();
      }
      g.writeObjectFieldStart("event");
      g.writeStringField("kind", Dataset.EVENTS.kind());
      g.writeStringField("dataset", Dataset.EVENTS.topic());
      if (e.state() != null) {
        g.writeStringField("state", e.state());
      }
      if (e.ttl() != null && Float.isFinite(e.ttl())) {
        g.writeNumberField("ttl", e.ttl());
      }
      g.writeEndObject();
      if (e.description() != null) {
        g.writeStringField("message", e.description());
      }
      writeMetric(g, e.metric());
      if (!e.tags().isEmpty()) {
        g.writeArrayFieldStart("tags");
        for (String t : e.tags()) {
          g.writeString(t);
        }
        g.writeEndArray();
      }
      if (!e.attributes().isEmpty()) {
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
          g.writeStringField(labelKey(a.getKey()), a.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  // Elasticsearch refuses NaN and infinities in numeric fields; collectd sends NaN. Such a metric
  // is left out rather than losing the whole event.
  private static void writeMetric(JsonGenerator g, Number metric) throws IOException {
    if (metric instanceof Long l) {
      g.writeNumberField("metric", l);
    } else if (metric != null && Double.isFinite(metric.doubleValue())) {
      g.writeNumberField("metric", metric.doubleValue());
    }
  }

  /**
   * ECS labels are flat keywords: a dot would make Elasticsearch build an object, and {@code a}
   * next to {@code a.b} would then conflict; an empty name is refused outright.
   */
  static String labelKey(String key) {
    if (key.isEmpty()) {
      return "_";
    }
    return key.indexOf('.') < 0 ? key : key.replace('.', '_');
  }

  private static ObjectNode jsonSource(Dataset dataset, byte[] value, long fallbackMicros)
      throws IOException {
    JsonNode tree = JSON.readTree(value);
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("a record must be a JSON object");
    }
    ObjectNode in = (ObjectNode) tree;
    ObjectNode doc = JSON.createObjectNode();
    JsonNode time = in.get("time");
    long micros =
        time != null && time.isTextual() ? JsonCodec.parseMicros(time.asText()) : fallbackMicros;
    doc.put("@timestamp", JsonCodec.formatMicros(micros));
    Iterator<Map.Entry<String, JsonNode>> fields = in.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      JsonNode v = f.getValue();
      if (name.equals("@timestamp")) {
        continue;
      }
      if (ECS_OBJECTS.contains(name) && v.isValueNode()) {
        doc.putObject(name).set("name", v);
      } else if (name.equals("hosts") && v.isArray()) {
        hostNames(doc).addAll((ArrayNode) v);
      } else if (name.equals("labels") && v.isObject()) {
        doc.set("labels", labels((ObjectNode) v));
      } else {
        doc.set(name, v);
      }
    }
    if (dataset == Dataset.ALERTS && in.path("summary").isTextual() && !in.has("message")) {
      doc.set("message", in.get("summary"));
    }
    ObjectNode event =
        doc.has("event") && doc.get("event").isObject()
            ? (ObjectNode) doc.get("event")
            : doc.putObject("event");
    event.put("kind", dataset.kind());
    event.put("dataset", dataset.topic());
    if (dataset == Dataset.ALERTS) {
      putDuration(in, event);
    }
    return doc;
  }

  /**
   * A resolved alert's time to resolve as ECS {@code event.duration} (nanoseconds), so that Kibana
   * can average it: a search cannot subtract two date fields of one document.
   */
  private static void putDuration(ObjectNode in, ObjectNode event) {
    JsonNode starts = in.get("startsAt");
    JsonNode ends = in.get("endsAt");
    if (starts != null && starts.isTextual() && ends != null && ends.isTextual()) {
      long micros = JsonCodec.parseMicros(ends.asText()) - JsonCodec.parseMicros(starts.asText());
      if (micros >= 0) {
        event.put("duration", micros * 1000L);
      }
    }
  }

  private static ArrayNode hostNames(ObjectNode doc) {
    JsonNode host = doc.get("host");
    ObjectNode h = host != null && host.isObject() ? (ObjectNode) host : doc.putObject("host");
    JsonNode name = h.get("name");
    if (name != null && name.isArray()) {
      return (ArrayNode) name;
    }
    ArrayNode names = h.putArray("name");
    if (name != null) {
      names.add(name);
    }
    return names;
  }

  private static ObjectNode labels(ObjectNode in) {
    ObjectNode out = JSON.createObjectNode();
    in.fields().forEachRemaining(e -> out.set(labelKey(e.getKey()), e.getValue()));
    return out;
  }
}
