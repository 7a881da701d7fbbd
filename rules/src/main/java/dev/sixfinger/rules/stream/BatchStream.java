package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;

/**
 * A stage that takes lists of events: what windows, rollup and coalesce emit, and what folds
 * consume. The lists it receives are immutable and never reused by the sender.
 */
@FunctionalInterface
public interface BatchStream {
  void accept(List<Event> events);
}
