#!/usr/bin/env bash
# Alert storm benchmark (issue 5): paced alert transitions written as AlertRecord JSON to
# sixfinger.alerts of an embedded broker, through the real AlertingService into the PagerDuty test
# server; PagerDuty's events are compared with the timing rules and the latency is measured.
# Builds what it needs (never installs), then runs
# dev.sixfinger.benchmarks.alerting.AlertStormBenchmark with the options given, e.g.
#   benchmarks/run-alert-storm-benchmark.sh --rate 100000 --duration 60 --groups 1000
# Result: printed, and written to benchmarks/target/alert-storm-benchmark.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=()
for arg in "$@"; do
  case "$arg" in
    --help | -h) skip_build=1; args+=("$arg") ;;
    --skip-build) skip_build=1 ;;
    *) args+=("$arg") ;;
  esac
done

classpath_file=benchmarks/target/classpath.txt
if [[ -z "${skip_build:-}" || ! -f "$classpath_file" ]]; then
  echo "Building the benchmarks module and what it depends on..."
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi

# shellcheck disable=SC2086
exec java -Xms512m -Xmx2g ${JAVA_OPTS:-} \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.alerting.AlertStormBenchmark ${args[@]+"${args[@]}"}
