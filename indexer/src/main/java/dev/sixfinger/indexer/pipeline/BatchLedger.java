package dev.sixfinger.indexer.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed. Batches settle out of order, since several are in flight; an
 * offset is committable only when its batch and every batch taken from the log before it are
 * settled, so that a crash never skips a document that was not stored.
 */
final class BatchLedger {
  private final TreeMap<Long, Batch> open = new TreeMap<>();
  private final java.util.Set<Long> settled = new java.util.HashSet<>();

  void opened(Batch b) {
    open.put(b.sequence, b);
  }

  void settled(long sequence) {
    if (open.containsKey(sequence)) {
      settled.add(sequence);
    }
  }

  int openCount() {
    return open.size();
  }

  /** The offsets released by batches settled since the last call, oldest batches first. */
  Map<TopicPartition, Long> release() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    while (!open.isEmpty() && settled.remove(open.firstKey())) {
      Batch b = open.pollFirstEntry().getValue();
      b.nextOffsets.forEach((tp, o) -> offsets.merge(tp, o, Math::max));
    }
    return offsets;
  }
}
