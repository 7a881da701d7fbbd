/**
 * Script checks of the node agent, with Nagios plugin semantics.
 *
 * <ul>
 *   <li>{@link dev.sixfinger.collector.agent.check.CheckDefinition}: what to run, period, timeout.
 *   <li>{@link dev.sixfinger.collector.agent.check.CheckRunner}: runs one check once as a child
 *       process (no shell unless asked), caps stdout at 64 KiB and stderr at 4 KiB (the rest is
 *       drained and discarded), kills the whole process tree at the timeout.
 *   <li>{@link dev.sixfinger.collector.agent.check.PluginOutput} and {@link
 *       dev.sixfinger.collector.agent.check.PerfData}: parse stdout as the Nagios plugin guidelines
 *       describe; never throw.
 *   <li>{@link dev.sixfinger.collector.agent.check.CheckEvents}: maps a run to events (see there
 *       for the mapping of states, descriptions and performance data).
 *   <li>{@link dev.sixfinger.collector.agent.check.CheckScheduler}: runs every check on its own
 *       jittered schedule, never overlapping itself, and counts runs, skips and timeouts.
 * </ul>
 *
 * <p>Stderr is kept apart from stdout, as Nagios does: it is never parsed as plugin output, and
 * goes into the event's {@code stderr} attribute so that a failing script still says why.
 */
package dev.sixfinger.collector.agent.check;
