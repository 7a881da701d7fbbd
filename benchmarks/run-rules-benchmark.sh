#!/usr/bin/env bash
# Index and rules benchmarks (JMH), each beside its baseline in the same run: index lookups and
# queries over 1,000,000 entries against a HashMap and a list scan, the index's heap against a
# HashMap's, and rule evaluation throughput per core against a loop that only evaluates the
# rules' queries. Builds what it needs (never installs), then runs
# dev.sixfinger.benchmarks.rules.RulesBenchmarkRunner with plain java, e.g.
#   benchmarks/run-rules-benchmark.sh                 # everything, about 10 minutes
#   benchmarks/run-rules-benchmark.sh --quick         # a short run, about 4 minutes
#   benchmarks/run-rules-benchmark.sh --only rules --hosts 1000 --profile
# Result: printed, and written to benchmarks/target/rules-benchmark.json.
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

# The runner itself only starts JMH forks and child JVMs (which set their own heap), and keeps
# results: a small heap is enough.
exec java -Xmx512m \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.rules.RulesBenchmarkRunner "$@"
