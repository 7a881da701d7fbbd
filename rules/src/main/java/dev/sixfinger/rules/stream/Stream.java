package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;

/**
 * A stage that takes events one at a time and passes what it decides to its children. Stages are
 * not thread-safe: one engine thread feeds a stream tree and advances its {@link StreamContext}.
 */
@FunctionalInterface
public interface Stream {
  void accept(Event event);
}
