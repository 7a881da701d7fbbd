package dev.sixfinger.rules.runner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Merges the records of several partitions into one sequence that depends only on what the
 * partitions hold, never on when the records were fetched: the next record is the earliest head (by
 * record time, then partition number), and it is only chosen once every open partition has a head.
 * A k-way merge of the partitions' sequences, so a replay of the log gives the same sequence as the
 * live run did. An idle partition blocks the merge until data or a tick arrives in it; a finished
 * partition (the end of a backtest's range) no longer counts.
 */
final class PartitionMerge {
  private final Map<Integer, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new TreeMap<>();
  private final Map<Integer, Boolean> finished = new TreeMap<>();

  PartitionMerge(Collection<Integer> partitions) {
    for (int p : partitions) {
      buffers.put(p, new ArrayDeque<>());
      finished.put(p, false);
    }
  }

  void add(ConsumerRecord<byte[], byte[]> record) {
    ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(record.partition());
    if (buffer == null) {
      throw new IllegalArgumentException("partition " + record.partition() + " is not merged");
    }
    buffer.addLast(record);
  }

  /** The partition takes part no more once its buffered records are taken. */
  void finish(int partition) {
    finished.put(partition, true);
  }

  /** The next record in merge order, or null while an open partition has nothing buffered. */
  ConsumerRecord<byte[], byte[]> next() {
    ConsumerRecord<byte[], byte[]> best = null;
    int bestPartition = -1;
    for (Map.Entry<Integer, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : buffers.entrySet()) {
      ConsumerRecord<byte[], byte[]> head = e.getValue().peekFirst();
      if (head == null) {
        if (!finished.get(e.getKey())) {
          return null;
        }
        continue;
      }
      if (best == null || head.timestamp() < best.timestamp()) {
        best = head;
        bestPartition = e.getKey();
      }
    }
    return best == null ? null : buffers.get(bestPartition).pollFirst();
  }

  int buffered(int partition) {
    return buffers.get(partition).size();
  }

  /** Open partitions with nothing buffered: the ones holding the merge back. */
  List<Integer> starved() {
    List<Integer> starved = new ArrayList<>();
    buffers.forEach(
        (p, b) -> {
          if (b.isEmpty() && !finished.get(p)) {
            starved.add(p);
          }
        });
    return starved;
  }

  /** True when some partition has records waiting: ticks elsewhere would let them through. */
  boolean anyBuffered() {
    for (ArrayDeque<ConsumerRecord<byte[], byte[]>> b : buffers.values()) {
      if (!b.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Every partition is finished and drained. */
  boolean exhausted() {
    for (Map.Entry<Integer, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : buffers.entrySet()) {
      if (!e.getValue().isEmpty() || !finished.get(e.getKey())) {
        return false;
      }
    }
    return true;
  }
}
