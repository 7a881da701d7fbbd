/**
 * The streams library: composable stages with Riemann's semantics, deterministic under a manual
 * clock.
 *
 * <p><b>Shape.</b> A {@link dev.sixfinger.rules.stream.Stream} takes events, a {@link
 * dev.sixfinger.rules.stream.BatchStream} takes lists of events (what windows, rollup and coalesce
 * emit and folds consume). {@link dev.sixfinger.rules.stream.Streams} builds the stages; each takes
 * its child, so a rule reads inside out as in Riemann. Stages are single-threaded.
 *
 * <p><b>Time.</b> Two clocks, as in Riemann. Event time ({@code Event.timeMicros()}) drives the
 * time windows, stable, ewma and ddt. The {@link dev.sixfinger.rules.stream.StreamContext}'s time
 * drives everything periodic or expiring: throttle and rollup windows, coalesce, rate and
 * percentiles ticks, stable's flush when no further event comes, expiry checks and {@code by}-fork
 * expiry. That time moves only when the engine calls {@code advanceTo(nowMicros)}; due timers run
 * then, on the caller's thread, each seeing its own due time. No stage starts a thread, so a test
 * under a manual clock (or a replay driven by event time) gives the same output every run. The
 * engine advances the context to its clock before passing the events that arrived by then.
 *
 * <p><b>Bounded state.</b> {@code by} frees idle forks and forks whose key expired, with their
 * timers ({@link dev.sixfinger.rules.stream.ForkExpiry}); windows hold one window; coalesce holds
 * one unexpired event per key; stable and rollup buffer at most one period.
 *
 * <p><b>Snapshots.</b> Every stage that keeps state is {@link dev.sixfinger.rules.stream.Stateful};
 * {@link dev.sixfinger.rules.stream.Snapshots} captures a whole tree and restores it into an
 * identically built one, timers included and in their original order, so that a restored tree emits
 * exactly what an uninterrupted one would.
 */
package dev.sixfinger.rules.stream;
