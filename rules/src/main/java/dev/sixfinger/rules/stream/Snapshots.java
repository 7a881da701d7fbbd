package dev.sixfinger.rules.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures and restores the state of a whole stream tree: every {@link Stateful} stage in it, found
 * by walking the stages built by {@link Streams}. A tree is restored into a freshly built,
 * identical tree (same rule, same construction), on a context whose time is the snapshot's.
 *
 * <p>Shape: {@code null} for a subtree without state, else a map with {@code "state"} (the stage's
 * own {@link Stateful#snapshot()}) and/or {@code "children"} (one entry per child, in order). A
 * stream that is not one of ours and not {@link Stateful} is a leaf without state.
 */
public final class Snapshots {
  private static final String STATE = "state";
  private static final String CHILDREN = "children";

  private Snapshots() {}

  /** The state of the tree rooted at {@code stream}, or null if it holds none. */
  public static Object snapshot(Object stream) {
    Map<String, Object> node = new LinkedHashMap<>();
    if (stream instanceof Stateful stateful) {
      node.put(STATE, stateful.snapshot());
    }
    if (stream instanceof HasChildren parent) {
      List<Object> children = new ArrayList<>();
      boolean any = false;
      for (Object child : parent.children()) {
        Object s = snapshot(child);
        any |= s != null;
        children.add(s);
      }
      if (any) {
        node.put(CHILDREN, children);
      }
    }
    return node.isEmpty() ? null : node;
  }

  /**
   * Puts back a state from {@link #snapshot(Object)}; null leaves the tree as it is.
   *
   * @throws IllegalArgumentException if the snapshot does not fit the tree
   */
  public static void restore(Object stream, Object snapshot) {
    if (snapshot == null) {
      return;
    }
    Map<String, Object> node = State.map(snapshot, "snapshot node");
    if (node.containsKey(STATE)) {
      if (!(stream instanceof Stateful stateful)) {
        throw new IllegalArgumentException(
            "snapshot has state for a stage that keeps none: " + stream.getClass().getName());
      }
      stateful.restore(node.get(STATE));
    }
    Object children = node.get(CHILDREN);
    if (children != null) {
      if (!(stream instanceof HasChildren parent) || !(children instanceof List<?> states)) {
        throw new IllegalArgumentException(
            "snapshot has children for a stage without: " + stream.getClass().getName());
      }
      List<Object> actual = parent.children();
      if (actual.size() != states.size()) {
        throw new IllegalArgumentException(
            "snapshot has "
                + states.size()
                + " children for a stage with "
                + actual.size()
                + ": "
                + stream.getClass().getName());
      }
      for (int i = 0; i < actual.size(); i++) {
        restore(actual.get(i), states.get(i));
      }
    }
  }
}
