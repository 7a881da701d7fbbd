package dev.sixfinger.indexer.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.core.codec.JsonCodec;
import dev.sixfinger.core.kafka.Topics;
import dev.sixfinger.indexer.bulk.Backoff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what could not be stored to {@code sixfinger.dlq}, keyed like the original record, as JSON
 * ({@code "v":1}) that names the source record, the target index, the status and Elasticsearch's
 * reason. A batch counts as settled only after its dead letters are acknowledged by Kafka.
 */
final class DeadLetters {
  static final int VERSION = 1;
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Producer<byte[], byte[]> producer;
  private final Backoff backoff;
  private final BooleanSupplier running;

  DeadLetters(Producer<byte[], byte[]> producer, Backoff backoff, BooleanSupplier running) {
    this.producer = producer;
    this.backoff = backoff;
    this.running = running;
  }

  void write(List<DeadLetter> letters, long nowMicros) throws InterruptedException {
    if (letters.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (DeadLetter d : letters) {
        sent.add(producer.send(new ProducerRecord<>(Topics.DLQ, d.key(), toJson(d, nowMicros))));
      }
      try {
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
        return;
      } catch (ExecutionException e) {
        LOG.warn(
            "could not write {} dead letters to {} (attempt {}): {}; retrying",
            letters.size(),
            Topics.DLQ,
            attempt,
            e.getCause().toString());
      }
      if (!running.getAsBoolean()) {
        throw new InterruptedException("indexer stopping with dead letters not yet written");
      }
      Thread.sleep(backoff.delayMillis(attempt));
    }
  }

  static byte[] toJson(DeadLetter d, long nowMicros) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    n.put("type", "indexer");
    n.put("time", JsonCodec.formatMicros(nowMicros));
    ObjectNode source = n.putObject("source");
    source.put("topic", d.topic());
    source.put("partition", d.partition());
    source.put("offset", d.offset());
    if (d.index() != null) {
      n.put("index", d.index());
    }
    if (d.status() > 0) {
      n.put("status", d.status());
    }
    n.put("reason", d.reason());
    if (d.document() != null) {
      try {
        n.set("document", JSON.readTree(d.document()));
      } catch (IOException e) {
        n.put("document", new String(d.document(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (d.value() != null) {
      n.put("valueBase64", Base64.getEncoder().encodeToString(d.value()));
    }
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
