package dev.sixfinger.rules.stream;

import dev.sixfinger.core.event.Event;
import java.util.ArrayList;
import java.util.List;

/** Riemann's {@code split}: each event goes to the first branch that matches, else the default. */
final class Split implements Stream, HasChildren {
  private final Branch[] branches;
  private final Stream otherwise;

  Split(List<Branch> branches, Stream otherwise) {
    this.branches = branches.toArray(new Branch[0]);
    this.otherwise = otherwise;
  }

  @Override
  public void accept(Event event) {
    for (Branch branch : branches) {
      if (branch.test().test(event)) {
        branch.stream().accept(event);
        return;
      }
    }
    if (otherwise != null) {
      otherwise.accept(event);
    }
  }

  @Override
  public List<Object> children() {
    List<Object> children = new ArrayList<>();
    for (Branch branch : branches) {
      children.add(branch.stream());
    }
    children.add(otherwise);
    return children;
  }
}
