/**
 * Host samplers of the node agent: they read {@code /proc} and statvfs and turn them into events.
 * Entry point: {@link dev.sixfinger.collector.agent.sampler.HostSamplers#standard()}.
 *
 * <h2>Service names</h2>
 *
 * <p>{@code group/measure}, lower case, words joined by {@code -}. The group is the sampler's
 * {@link dev.sixfinger.collector.agent.sampler.Sampler#name() name}. Units are in the name: {@code
 * -fraction} is 0 to 1, {@code -bytes} is bytes, {@code -rate} is per second, {@code /seconds} is
 * seconds. What the measure is about (a mount, a device, an interface) is an attribute, never part
 * of the service, so that one rule covers all of them. The same table is in {@code SERVICES.md}
 * next to this file.
 *
 * <table>
 *   <caption>Services</caption>
 *   <tr><th>service</th><th>metric</th><th>attribute</th><th>source</th></tr>
 *   <tr><td>cpu/user, cpu/system, cpu/iowait, cpu/steal, cpu/idle</td>
 *       <td>double, fraction of all cpus' time since the previous sample; the five add up to 1
 *       (user includes nice, system includes irq and softirq)</td><td></td>
 *       <td>/proc/stat</td></tr>
 *   <tr><td>load/1, load/5, load/15</td><td>double, load average</td><td></td>
 *       <td>/proc/loadavg</td></tr>
 *   <tr><td>load/1-per-core</td><td>double, load/1 over the online cpus</td><td></td>
 *       <td>/proc/loadavg, /proc/stat</td></tr>
 *   <tr><td>memory/used-fraction</td><td>double, 1 - MemAvailable / MemTotal</td><td></td>
 *       <td>/proc/meminfo</td></tr>
 *   <tr><td>memory/available-bytes, memory/total-bytes</td><td>long, MemAvailable, MemTotal</td>
 *       <td></td><td>/proc/meminfo</td></tr>
 *   <tr><td>swap/used-fraction</td><td>double, 0 without swap</td><td></td>
 *       <td>/proc/meminfo</td></tr>
 *   <tr><td>swap/in-rate, swap/out-rate</td><td>double, pages per second</td><td></td>
 *       <td>/proc/vmstat pswpin, pswpout</td></tr>
 *   <tr><td>disk/used-fraction</td><td>double, used / (used + available), like df</td>
 *       <td>mount</td><td>/proc/mounts, statvfs</td></tr>
 *   <tr><td>disk/inodes-used-fraction</td><td>double; none where inodes are unlimited</td>
 *       <td>mount</td><td>/proc/mounts, stat -f</td></tr>
 *   <tr><td>diskio/read-bytes-rate, diskio/write-bytes-rate</td><td>double, bytes per second</td>
 *       <td>device</td><td>/proc/diskstats</td></tr>
 *   <tr><td>diskio/util</td><td>double, fraction of time with I/O in flight</td>
 *       <td>device</td><td>/proc/diskstats</td></tr>
 *   <tr><td>net/rx-bytes-rate, net/tx-bytes-rate, net/rx-errors-rate, net/tx-errors-rate</td>
 *       <td>double, per second</td><td>interface</td><td>/proc/net/dev</td></tr>
 *   <tr><td>processes/running, processes/blocked</td><td>long; blocked is uninterruptible
 *       sleep (D)</td><td></td><td>/proc/stat</td></tr>
 *   <tr><td>fd/open</td><td>long</td><td></td><td>/proc/sys/fs/file-nr</td></tr>
 *   <tr><td>fd/used-fraction</td><td>double, open over the system maximum</td><td></td>
 *       <td>/proc/sys/fs/file-nr</td></tr>
 *   <tr><td>uptime/seconds</td><td>double</td><td></td><td>/proc/uptime</td></tr>
 *   <tr><td>capacity/cpus</td><td>long, online cpus</td><td></td><td>/proc/stat</td></tr>
 *   <tr><td>capacity/memory-bytes</td><td>long, MemTotal</td><td></td><td>/proc/meminfo</td></tr>
 * </table>
 *
 * <h2>Rates</h2>
 *
 * <p>Rates and cpu fractions are counter differences over the time between two samples, as given to
 * {@link dev.sixfinger.collector.agent.sampler.Sampler#sample(long)}. The first sample only primes
 * the counters. A counter that went backwards (reset, wrap, reboot) gives no value for that sample
 * and is primed again, so a rate is never negative or absurdly large; see {@link
 * dev.sixfinger.collector.agent.sampler.CounterRates}.
 */
package dev.sixfinger.collector.agent.sampler;
