package dev.sixfinger.rules.engine;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Field;
import dev.sixfinger.core.query.Query;
import dev.sixfinger.rules.stream.Stream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands each event only to the rules that can match it: a rule whose {@code match} pins the service
 * ({@code service = "x" and ...}) is looked up by the event's service, the others see every event.
 * With hundreds of rules this is one hash lookup instead of hundreds of query evaluations.
 */
final class RuleDispatch {
  private final Map<String, List<Stream>> byService = new HashMap<>();
  private final List<Stream> everyEvent = new ArrayList<>();

  void add(Query match, Stream stream) {
    match
        .exactValue(Field.of("service"))
        .ifPresentOrElse(
            service -> byService.computeIfAbsent(service, s -> new ArrayList<>()).add(stream),
            () -> everyEvent.add(stream));
  }

  void accept(Event event) {
    if (event.service() != null) {
      List<Stream> streams = byService.get(event.service());
      if (streams != null) {
        for (int i = 0; i < streams.size(); i++) {
          streams.get(i).accept(event);
        }
      }
    }
    for (int i = 0; i < everyEvent.size(); i++) {
      everyEvent.get(i).accept(event);
    }
  }
}
