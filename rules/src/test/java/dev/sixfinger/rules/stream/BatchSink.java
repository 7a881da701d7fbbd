package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;

/** Collects the lists a stream emits. */
final class BatchSink implements BatchStream {
  final List<List<Event>> batches = new ArrayList<>();

  @Override
  public void accept(List<Event> events) {
    batches.add(events);
  }

  /** Each batch as the list of its events' metrics. */
  List<List<Object>> metrics() {
    List<List<Object>> out = new ArrayList<>();
    for (List<Event> batch : batches) {
      List<Object> ms = new ArrayList<>();
      for (Event e : batch) {
        ms.add(e.metric());
      }
      out.add(ms);
    }
    return out;
  }
}
