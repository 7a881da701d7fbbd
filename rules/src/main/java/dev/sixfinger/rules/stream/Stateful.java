package dev.sixfinger.rules.stream;

/**
 * A stage whose state can be exported and put back, so that the engine can snapshot a rule and
 * restore it after a restart. Use {@link Snapshots} to capture a whole stream tree.
 *
 * <p>A snapshot is a tree of {@code Map<String, Object>}, {@code List}, {@code String}, {@code
 * Long}, {@code Double}, {@code Boolean}, {@code null} and {@link dev.sixfinger.core.event.Event}
 * (plus whatever a user's key or value function returns, for {@code by} and {@code changed}). It
 * shares nothing mutable with the stage. {@link #restore} accepts any {@link Number} where it wrote
 * a long or a double, so that a JSON round trip is enough.
 */
public interface Stateful {
  /** The state now; the stage keeps working unchanged. */
  Object snapshot();

  /**
   * Replaces the state with one from {@link #snapshot()} of an identically built stage, re-arming
   * its timers on this stage's context.
   *
   * @throws IllegalArgumentException if the state does not have the expected shape
   */
  void restore(Object state);
}
