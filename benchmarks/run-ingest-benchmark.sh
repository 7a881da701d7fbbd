#!/usr/bin/env bash
# Ingest load benchmark (issue 2): kafka-producer-perf-test and the Riemann TCP gateway, side by
# side on one embedded Kafka broker. Builds what it needs (never installs), then runs
# dev.sixfinger.benchmarks.ingest.IngestLoadHarness with the options given, e.g.
#   benchmarks/run-ingest-benchmark.sh --events 2000000 --connections 4
# Result: printed, and written to benchmarks/target/ingest-benchmark.json.
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
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi

# The harness starts its baseline child JVM with this same classpath.
exec java -Xms1g -Xmx3g \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.ingest.IngestLoadHarness \
  --json benchmarks/target/ingest-benchmark.json "$@"
