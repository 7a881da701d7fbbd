package dev.sixfinger.collector.agent.transport;

import dev.sixfinger.collector.ingest.EventSink;
import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for Kafka behind a real ingest gateway: stores what it is given, or refuses, or never
 * answers, as the test says.
 */
final class RecordingSink implements EventSink {
  enum Mode {
    STORE,
    FAIL,
    HANG
  }

  private final List<List<Event>> batches = new ArrayList<>();
  private volatile Mode mode = Mode.STORE;

  void mode(Mode newMode) {
    this.mode = newMode;
  }

  @Override
  public CompletableFuture<Void> publish(List<Event> events) {
    return switch (mode) {
      case FAIL ->
          CompletableFuture.failedFuture(new IllegalStateException("kafka is unavailable"));
      case HANG -> new CompletableFuture<>();
      case STORE -> store(events);
    };
  }

  private synchronized CompletableFuture<Void> store(List<Event> events) {
    batches.add(List.copyOf(events));
    return CompletableFuture.completedFuture(null);
  }

  /** Every event stored, in the order stored. */
  synchronized List<Event> events() {
    return batches.stream().flatMap(List::stream).toList();
  }

  /** The size of each stored message. */
  synchronized List<Integer> batchSizes() {
    return batches.stream().map(List::size).toList();
  }
}
