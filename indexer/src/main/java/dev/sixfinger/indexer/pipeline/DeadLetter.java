package dev.sixfinger.indexer.pipeline;

/**
 * A record that could not be stored: where it came from, why, and what it was, for {@code
 * sixfinger.dlq}. {@code document} is the JSON that Elasticsearch refused, or null when the record
 * could not even be read; {@code value} is then the record's bytes.
 */
record DeadLetter(
    String topic,
    int partition,
    long offset,
    byte[] key,
    String index,
    int status,
    String reason,
    byte[] document,
    byte[] value) {}
