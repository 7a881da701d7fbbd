/** Backtests: a rule set run over the retained log, touching no live state. */
package dev.sixfinger.rules.replay;
