#!/usr/bin/env bash
# Message bus fan-out benchmark (issue 10), rerunnable: starts the daemon with its bus listener,
# opens 1,000 SSE and 2,000 multipart subscribers on one topic, publishes 1,000 messages/s of
# 200 bytes for 30 s, and prints a markdown report (docs/BENCHMARKS.md, "Message bus fan-out").
# Every argument goes to the load tool (bench/target/msglite-bench.jar --help lists them), e.g.
#   bench/fanout-bench.sh --runs 5 --out /tmp/fanout.md
#
# Settings (environment, with defaults):
#   MAX_LOAD=1.5       wait until the 1-minute load average is below this before starting
#   LOAD_WAIT=900      ... but at most this many seconds; then it runs anyway and says so
#   RUNS=3 WARMUP=1    measured runs (median reported) and discarded warm-up runs
#   MSGLITE_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC"   the daemon's JVM (as bench/run.sh uses)
#   BUILD=1            rebuild the jars even if they exist (by default only missing jars are built)
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_LOAD="${MAX_LOAD:-1.5}"
LOAD_WAIT="${LOAD_WAIT:-900}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
MSGLITE_JVM_OPTS="${MSGLITE_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"
say() { echo "fanout-bench: $*" >&2; }

# 3,000 subscriber sockets in this tool and as many in the daemon, plus the JVMs' own files
want_files=16384
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_files" ]; then
  hard="$(ulimit -Hn)"
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$want_files" ]; then
    ulimit -n "$want_files"
  else
    ulimit -n "$hard"
    say "open-files limit raised only to the hard limit $hard; 3,000 subscribers need about 6,100"
  fi
fi

if [ "${BUILD:-0}" = 1 ] || [ ! -f server/target/msglite-server.jar ] || [ ! -f bench/target/msglite-bench.jar ]; then
  say "building the daemon and the load tool"
  mvn -q -B -DskipTests -pl server,bench -am package >&2
fi

# A shared machine: the subscribers and the daemon share its cores, so wait for a quiet moment.
load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
until awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }'; do
  if [ "$waited" -ge "$LOAD_WAIT" ]; then
    say "load average still $(load1) after ${LOAD_WAIT}s; running anyway, so expect worse figures"
    break
  fi
  [ $((waited % 60)) -eq 0 ] && say "load average $(load1) >= $MAX_LOAD; waiting (up to ${LOAD_WAIT}s)"
  sleep 5
  waited=$((waited + 5))
done

say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r); $(java -version 2>&1 | head -n 1)"
exec java -jar bench/target/msglite-bench.jar --scenarios fanout --runs "$RUNS" --warmup "$WARMUP" \
  --msglite-jvm-opts "$MSGLITE_JVM_OPTS" "$@"
