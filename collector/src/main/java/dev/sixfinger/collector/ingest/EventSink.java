package dev.sixfinger.collector.ingest;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where accepted events go. The future completes only once every event is durably stored. */
public interface EventSink {

  /**
   * Stores events. The returned future completes normally only when all of them are durably stored;
   * it completes exceptionally, with a message fit for a client, if any was not.
   */
  CompletableFuture<Void> publish(List<Event> events);
}
