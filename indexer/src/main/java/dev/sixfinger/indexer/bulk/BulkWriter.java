package dev.sixfinger.indexer.bulk;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import dev.sixfinger.indexer.document.IndexDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
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
 */
public final class BulkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

  private final ElasticsearchClient client;
  private final Backoff backoff;
  private final BulkStats stats;
  private final BooleanSupplier running;

  public BulkWriter(
      ElasticsearchClient client, Backoff backoff, BulkStats stats, BooleanSupplier running) {
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
      BulkResponse response;
      try {
        response = client.bulk(request(pending));
      } catch (ElasticsearchException e) {
        if (retryable(e.status()) || e.status() == 401 || e.status() == 403) {
          requestFailed(e.status() + " " + e.getMessage(), attempt);
          continue;
        }
        // The request itself is malformed for Elasticsearch: no retry can fix it.
        for (IndexDocument d : pending) {
          refused.add(new Refused(d, e.status(), e.getMessage()));
        }
        return refused;
      } catch (TransportException e) {
        requestFailed(e.statusCode() + " " + e.getMessage(), attempt);
        continue;
      } catch (IOException | RuntimeException e) {
        requestFailed(e.toString(), attempt);
        continue;
      }
      List<IndexDocument> again = new ArrayList<>();
      int refusedNow = 0;
      List<BulkResponseItem> items = response.items();
      for (int i = 0; i < items.size(); i++) {
        BulkResponseItem item = items.get(i);
        IndexDocument d = pending.get(i);
        if (item.error() == null) {
          continue;
        }
        if (retryable(item.status())) {
          again.add(d);
        } else {
          refused.add(new Refused(d, item.status(), describe(item.error())));
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

  private static BulkRequest request(List<IndexDocument> documents) {
    BulkRequest.Builder b = new BulkRequest.Builder();
    for (IndexDocument d : documents) {
      BinaryData source = BinaryData.of(d.source(), ContentType.APPLICATION_JSON);
      b.operations(op -> op.index(i -> i.index(d.index()).id(d.id()).document(source)));
    }
    return b.build();
  }

  static String describe(ErrorCause error) {
    StringBuilder s = new StringBuilder();
    s.append(error.type()).append(": ").append(error.reason());
    ErrorCause cause = error.causedBy();
    if (cause != null) {
      s.append(" (caused by ").append(cause.type()).append(": ").append(cause.reason()).append(')');
    }
    return s.toString();
  }
}
