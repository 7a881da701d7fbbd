package dev.sixfinger.indexer.document;

/** What a Kafka record becomes: a document, nothing (ticks, tombstones) or a dead letter. */
public sealed interface Mapped {
  /** A record with nothing to index, such as a tick or a compaction tombstone. */
  record Skip() implements Mapped {}

  record Document(IndexDocument document) implements Mapped {}

  /** A record that cannot be turned into a document, and why. */
  record Unreadable(String reason) implements Mapped {}

  Mapped SKIP = new Skip();
}
