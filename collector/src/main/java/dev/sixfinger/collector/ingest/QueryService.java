package dev.sixfinger.collector.ingest;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Answers Riemann {@code Msg.query} requests; the index behind it belongs to the rules engine. */
public interface QueryService {
  CompletableFuture<List<Event>> query(String query);
}
