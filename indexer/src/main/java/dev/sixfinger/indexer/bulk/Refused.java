package dev.sixfinger.indexer.bulk;

import dev.sixfinger.indexer.document.IndexDocument;

/** A document Elasticsearch refused for good, with its HTTP status and error. */
public record Refused(IndexDocument document, int status, String reason) {}
