package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;

/** Collects what a stream emits. */
final class Sink implements Stream {
  final List<Event> events = new ArrayList<>();

  @Override
  public void accept(Event event) {
    events.add(event);
  }

  List<Object> metrics() {
    List<Object> out = new ArrayList<>();
    for (Event e : events) {
      out.add(e.metric());
    }
    return out;
  }

  List<Long> times() {
    List<Long> out = new ArrayList<>();
    for (Event e : events) {
      out.add(e.timeMicros());
    }
    return out;
  }
}
