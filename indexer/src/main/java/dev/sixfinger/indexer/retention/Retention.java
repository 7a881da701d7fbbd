package dev.sixfinger.indexer.retention;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import dev.sixfinger.indexer.document.IndexNames;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the daily indices older than the retention, each by its own name: Elasticsearch 8 refuses
 * wildcard deletes by default ({@code action.destructive_requires_name}), and naming them also
 * makes sure nothing but our own daily indices is ever deleted.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  // Keeps the DELETE URL well below the 4 KiB that HTTP servers accept for a request line.
  private static final int NAMES_PER_REQUEST = 50;

  private final ElasticsearchClient client;
  private final IndexNames names;
  private final int days;

  public Retention(ElasticsearchClient client, IndexNames names, int days) {
    if (days < 1) {
      throw new IllegalArgumentException("retention needs at least 1 day, got " + days);
    }
    this.client = client;
    this.names = names;
    this.days = days;
  }

  /**
   * Deletes every daily index whose day is more than {@code days} before {@code today} (UTC): with
   * 30 days, on 2026-11-24 the index of 2026-10-25 is kept and that of 2026-10-24 deleted.
   *
   * @return the names deleted
   */
  public List<String> run(LocalDate today) throws IOException {
    LocalDate oldestKept = today.minusDays(days);
    List<String> old = new ArrayList<>();
    for (String index : existing()) {
      Optional<LocalDate> day = names.dayOf(index);
      if (day.isPresent() && day.get().isBefore(oldestKept)) {
        old.add(index);
      }
    }
    old.sort(null);
    for (int i = 0; i < old.size(); i += NAMES_PER_REQUEST) {
      List<String> chunk = old.subList(i, Math.min(old.size(), i + NAMES_PER_REQUEST));
      client.indices().delete(d -> d.index(chunk).ignoreUnavailable(true));
    }
    if (!old.isEmpty()) {
      LOG.info("retention: deleted {} indices older than {} days: {}", old.size(), days, old);
    }
    return old;
  }

  private List<String> existing() throws IOException {
    return new ArrayList<>(
        client
            .indices()
            .get(
                g ->
                    g.index(names.prefix() + "-*")
                        .expandWildcards(ExpandWildcard.Open, ExpandWildcard.Closed)
                        .ignoreUnavailable(true)
                        .allowNoIndices(true))
            .result()
            .keySet());
  }
}
