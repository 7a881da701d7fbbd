package dev.sixfinger.indexer.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sixfinger.indexer.document.IndexDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of documents with {@code _bulk}, and does not return before every document is
 * either stored or refused for good.
 *
 * <ul>
 *   <li>A request that fails as a whole (connection refused, timeout, 429, 5xx, or 401/403 that an
 *       operator must fix) is retried with backoff for as long as the writer runs.
 *   <li>Items refused with 429 or 5xx (a full write queue, a shard not yet started) are sent again,
 *       alone.
 *   <li>Items refused otherwise (a mapping conflict, a malformed document) are returned, with
 *       Elasticsearch's reason, for the dead-letter topic.
 * </ul>
 *
 * <p>The body is one NDJSON byte array sent through the elasticsearch-java client's own {@link
 * RestClient}, and the answer is filtered to the status of each item. The typed bulk API costs
 * about seven times more CPU per document: it hands the HTTP client one buffer per action line and
 * per document (thousands of small socket writes per request) and parses every item into objects,
 * and on a small machine that CPU is taken from Elasticsearch itself.
 */
public final class BulkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
  private static final byte[] ACTION_START =
      "{\"index\":{\"_index\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACTION_ID = "\",\"_id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.US_ASCII);

  private final RestClient client;
  private final Backoff backoff;
  private final BulkStats stats;
  private final BooleanSupplier running;

  public BulkWriter(RestClient client, Backoff backoff, BulkStats stats, BooleanSupplier running) {
    this.client = client;
    this.backoff = backoff;
    this.stats = stats;
    this.running = running;
  }

  /**
   * Stores {@code documents}; returns those refused for good.
   *
   * @throws InterruptedException when the writer stops before every document is settled: the batch
   *     must then not count as stored
   */
  public List<Refused> write(List<IndexDocument> documents) throws InterruptedException {
    List<Refused> refused = new ArrayList<>();
    List<IndexDocument> pending = documents;
    int attempt = 0;
    while (!pending.isEmpty()) {
      if (attempt > 0) {
        sleep(backoff.delayMillis(attempt));
      }
      attempt++;
      JsonNode answer;
      try {
        answer = send(pending);
      } catch (ResponseException e) {
        int status = e.getResponse().getStatusLine().getStatusCode();
        if (retryable(status) || status == 401 || status == 403) {
          requestFailed(status + " " + e.getMessage(), attempt);
          continue;
        }
        // The request itself is malformed for Elasticsearch: no retry can fix it.
        for (IndexDocument d : pending) {
          refused.add(new Refused(d, status, e.getMessage()));
        }
        return refused;
      } catch (IOException | RuntimeException e) {
        requestFailed(e.toString(), attempt);
        continue;
      }
      if (!answer.path("errors").asBoolean(true)) {
        stats.stored(pending.size());
        return refused;
      }
      JsonNode items = answer.path("items");
      if (items.size() != pending.size()) {
        requestFailed(
            "answer has " + items.size() + " items for " + pending.size() + " documents", attempt);
        continue;
      }
      List<IndexDocument> again = new ArrayList<>();
      int refusedNow = 0;
      for (int i = 0; i < pending.size(); i++) {
        JsonNode item = items.get(i).path("index");
        int status = item.path("status").asInt(0);
        if (!item.has("error") && status >= 200 && status < 300) {
          continue;
        }
        if (retryable(status) || status == 0) {
          again.add(pending.get(i));
        } else {
          refused.add(new Refused(pending.get(i), status, describe(item.path("error"))));
          refusedNow++;
        }
      }
      stats.stored(pending.size() - again.size() - refusedNow);
      if (!again.isEmpty()) {
        stats.itemsRetried(again.size());
      }
      pending = again;
    }
    return refused;
  }

  private JsonNode send(List<IndexDocument> documents) throws IOException {
    Request request = new Request("POST", "/_bulk");
    request.addParameter("filter_path", "errors,items.*.status,items.*.error");
    byte[] body = body(documents);
    request.setEntity(new NByteArrayEntity(body, NDJSON));
    Response response = client.performRequest(request);
    try (InputStream in = response.getEntity().getContent()) {
      return JSON.readTree(in);
    }
  }

  /** NDJSON: an index action and the document, for each. Index names and ids need no escaping. */
  static byte[] body(List<IndexDocument> documents) {
    int size = 0;
    for (IndexDocument d : documents) {
      size += d.source().length + d.index().length() + d.id().length() + 40;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    for (IndexDocument d : documents) {
      out.writeBytes(ACTION_START);
      out.writeBytes(d.index().getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(ACTION_ID);
      out.writeBytes(d.id().getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(ACTION_END);
      out.writeBytes(d.source());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private void requestFailed(String why, int attempt) throws InterruptedException {
    stats.requestFailed();
    if (attempt == 1 || attempt % 10 == 0) {
      LOG.warn(
          "Elasticsearch bulk request failed (attempt {}): {}; retrying with backoff — check that"
              + " the cluster is up and reachable",
          attempt,
          why);
    }
    if (!running.getAsBoolean()) {
      throw new InterruptedException("indexer stopping with a batch not yet stored");
    }
  }

  private void sleep(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    // Sleep in slices so that a stop is noticed within 100 ms.
    while (System.nanoTime() < end) {
      if (!running.getAsBoolean()) {
        throw new InterruptedException("indexer stopping with a batch not yet stored");
      }
      Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000L)));
    }
  }

  static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /** Elasticsearch's error, as {@code type: reason (caused by type: reason)}. */
  static String describe(JsonNode error) {
    StringBuilder s = new StringBuilder();
    s.append(error.path("type").asText("error")).append(": ").append(error.path("reason").asText());
    JsonNode cause = error.path("caused_by");
    if (cause.isObject()) {
      s.append(" (caused by ")
          .append(cause.path("type").asText())
          .append(": ")
          .append(cause.path("reason").asText())
          .append(')');
    }
    return s.toString();
  }
}
