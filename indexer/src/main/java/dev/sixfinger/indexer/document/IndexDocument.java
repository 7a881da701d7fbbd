package dev.sixfinger.indexer.document;

/**
 * One document for Elasticsearch. Its id is derived from where the record sits in the log, so that
 * a replay overwrites it instead of storing it twice.
 */
public record IndexDocument(String index, String id, byte[] source) {

  /** {@code TOPIC-PARTITION-OFFSET}: unique per record and stable across replays. */
  public static String idOf(String topic, int partition, long offset) {
    return topic + "-" + partition + "-" + offset;
  }
}
