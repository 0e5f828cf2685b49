#!/usr/bin/env bash
# Runs the msglite vs Redis benchmark from a fresh checkout (see docs/BENCHMARKS.md).
# Every argument is passed to the load tool (try --help). It builds the current daemon and tool
# first, so the figures are always of the code in this tree; SKIP_BUILD=1 reuses existing jars.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  echo "run.sh: installing Debian's redis-server" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package may start its own service on port 6379. The tool starts a private redis-server on
  # a free loopback port instead, so stop the packaged one rather than leave it idling beside it.
  service redis-server stop >/dev/null 2>&1 || true
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -DskipTests -pl server,bench -am package >&2
fi

exec java -jar bench/target/msglite-bench.jar "$@"
