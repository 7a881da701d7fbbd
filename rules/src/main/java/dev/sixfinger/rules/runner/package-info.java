/**
 * Drives a {@link dev.sixfinger.rules.engine.RuleEngine} from {@code sixfinger.events}: a
 * deterministic merge of the partitions, ticks for idle partitions, outputs and offsets committed
 * in Kafka transactions, snapshots in {@code sixfinger.rules-state}, and recovery that replays from
 * the last snapshot without repeating what was already committed.
 */
package dev.sixfinger.rules.runner;
