#!/usr/bin/env bash
# Scheduler benchmark (JMH), beside its baseline in the same run: one ranking-and-matching cycle
# of our scheduler (scheduler-core's Scheduler.cycle) against Netflix Fenzo's
# TaskScheduler.scheduleOnce with its cpuMemBinPacker, same jobs on the same hosts (default 10,000
# pending jobs over 1,000 hosts); then our cycle alone at the scaling sizes, up to 100,000 jobs
# over 10,000 hosts; then the utilization each leaves. Builds what it needs (never installs), then
# runs dev.sixfinger.benchmarks.scheduler.SchedulerBenchmarkRunner with plain java, e.g.
#   benchmarks/run-scheduler-benchmark.sh                   # everything, about 6 minutes
#   benchmarks/run-scheduler-benchmark.sh --skip-scaling    # the comparison only
#   benchmarks/run-scheduler-benchmark.sh --help            # every option
# Result: printed, and written to benchmarks/target/scheduler-benchmark.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for arg in "$@"; do
  if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
    skip_build_for_help=1
  fi
done

classpath_file=benchmarks/target/classpath.txt
if [[ -z "${skip_build_for_help:-}" || ! -f "$classpath_file" ]]; then
  echo "Building the benchmarks module and what it depends on..."
  ./mvnw -B -q -pl core,scheduler-core,benchmarks -am package -DskipTests
fi

# The runner starts the JMH forks (which set their own heap) and then runs one more cycle of each
# scheduler in this JVM for the utilization: 100,000 jobs need a couple of GiB.
exec java -Xmx3g \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.scheduler.SchedulerBenchmarkRunner "$@"
