package dev.sixfinger.indexer.pipeline;

import dev.sixfinger.indexer.document.IndexDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Records taken from the log in one go: the documents to store, the records that cannot be read,
 * and for each partition the offset after its last record, which may be committed once the batch is
 * settled.
 */
final class Batch {
  final long sequence;
  final long createdNanos;
  final List<IndexDocument> documents = new ArrayList<>();

  /** For each document, the record it came from, to name it in the dead-letter topic. */
  final List<Source> sources = new ArrayList<>();

  final List<DeadLetter> unreadable = new ArrayList<>();
  final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  long bytes;

  record Source(String topic, int partition, long offset, byte[] key) {}

  Batch(long sequence, long createdNanos) {
    this.sequence = sequence;
    this.createdNanos = createdNanos;
  }

  void advance(String topic, int partition, long offset) {
    nextOffsets.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
  }

  void add(IndexDocument d, Source source) {
    documents.add(d);
    sources.add(source);
    bytes += d.source().length + d.id().length() + d.index().length() + 64;
  }

  boolean isEmpty() {
    return nextOffsets.isEmpty();
  }
}
