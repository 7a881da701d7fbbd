package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Riemann's {@code where}: matching events go to one child, the others to the else child. */
final class Where implements Stream, HasChildren {
  private final Predicate<Event> test;
  private final Stream then;
  private final Stream otherwise;

  Where(Predicate<Event> test, Stream then, Stream otherwise) {
    this.test = test;
    this.then = then;
    this.otherwise = otherwise;
  }

  @Override
  public void accept(Event event) {
    if (test.test(event)) {
      then.accept(event);
    } else if (otherwise != null) {
      otherwise.accept(event);
    }
  }

  @Override
  public List<Object> children() {
    return Arrays.asList(then, otherwise);
  }
}
