package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import dev.sixfinger.core.query.Query;
import java.util.Objects;
import java.util.function.Predicate;

/** One branch of {@link Streams#split}: a test and the stream that gets the events it matches. */
public record Branch(Predicate<Event> test, Stream stream) {
  public Branch {
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(stream, "stream");
  }

  public static Branch of(Query query, Stream stream) {
    return new Branch(query::matches, stream);
  }

  public static Branch of(Predicate<Event> test, Stream stream) {
    return new Branch(test, stream);
  }
}
