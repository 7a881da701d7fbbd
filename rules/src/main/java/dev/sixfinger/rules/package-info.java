/** The rules engine: the index of latest events with TTL expiry, streams, rule files, runners. */
package dev.sixfinger.rules;
