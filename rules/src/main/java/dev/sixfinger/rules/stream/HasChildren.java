package dev.sixfinger.rules.stream;

import java.util.List;

/** A stage with fixed children, so that {@link Snapshots} can walk a stream tree. */
interface HasChildren {
  /** The child streams or batch streams, always in the same order. */
  List<Object> children();
}
