#!/usr/bin/env bash
# Indexer benchmark: a fixed log of events from Kafka into a local Elasticsearch, by the Sixfinger
# indexer and, side by side in the same run, by a raw bulk loader sending the same documents to
# _bulk with the same batch size and concurrency. Builds what it needs (never installs), then runs
# dev.sixfinger.benchmarks.indexer.IndexerBenchmark with the options given, e.g.
#   benchmarks/run-indexer-benchmark.sh --events 1000000 --rounds 2
# Elasticsearch refuses to run as root: as root, the user 'sixfinger' must exist (.ci/run makes it).
# Result: printed, and written to benchmarks/target/indexer-benchmark.json.
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
if [[ -z "${skip_build:-}" || ! -f "$classpath_file" ]] || ! ls benchmarks/target/elasticsearch/elasticsearch-*.zip >/dev/null 2>&1; then
  echo "Building the benchmarks module and what it depends on..."
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi
zip="$(ls benchmarks/target/elasticsearch/elasticsearch-*.zip | head -1)"

# shellcheck disable=SC2086
exec java -Xms1g -Xmx3g ${JAVA_OPTS:-} \
  -Dsixfinger.elasticsearch.zip="$zip" \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.sixfinger.benchmarks.indexer.IndexerBenchmark ${args[@]+"${args[@]}"}
