#!/usr/bin/env bash
# End-to-end latency benchmark: ok=true from the Riemann TCP gateway to the firing alert in
# sixfinger.alerts, under a steady background load, side by side with ok=true to the record in
# sixfinger.events (the Kafka floor). Builds what it needs (never installs), then runs
# dev.sixfinger.benchmarks.endtoend.EndToEndHarness with the options given, e.g.
#   benchmarks/run-e2e-benchmark.sh --rate 100000 --duration 60
#   benchmarks/run-e2e-benchmark.sh --skip-build --commit-interval 20
# JAVA_OPTS adds JVM options (a profiler, say).
# Result: printed, and written to benchmarks/target/e2e-benchmark.json.
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

# JAVA_OPTS: extra JVM options, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/e2e.jfr"
# shellcheck disable=SC2086
exec java -Xms1g -Xmx3g ${JAVA_OPTS:-} \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.endtoend.EndToEndHarness \
  --json benchmarks/target/e2e-benchmark.json ${args[@]+"${args[@]}"}
