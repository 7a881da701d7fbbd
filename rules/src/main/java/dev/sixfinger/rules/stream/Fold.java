package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.List;
import java.util.function.Function;

/** Applies a fold (see {@link Folds}) to each list and passes a non-null result on. */
final class Fold implements BatchStream, HasChildren {
  private final Function<List<Event>, Event> fold;
  private final Stream child;

  Fold(Function<List<Event>, Event> fold, Stream child) {
    this.fold = fold;
    this.child = child;
  }

  @Override
  public void accept(List<Event> events) {
    Event out = fold.apply(events);
    if (out != null) {
      child.accept(out);
    }
  }

  @Override
  public List<Object> children() {
    return List.of(child);
  }
}
