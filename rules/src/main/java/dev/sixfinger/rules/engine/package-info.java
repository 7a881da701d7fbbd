/**
 * The rules engine without its transport: an index with expiry and a compiled rule set over one
 * logical clock, turning events into alert transitions and host-health records, with snapshots and
 * reloads that keep the state of unchanged rules. The Kafka runner and the backtest drive it.
 */
package dev.sixfinger.rules.engine;
