#!/usr/bin/env bash
# Queue K=1 (one outstanding ready per consumer): how a server's CPU time per message splits into
# user and system time (docs/BENCHMARKS.md, "Queue K=1, once more"). Starts the server by hand,
# drives it alone with the load tool, and reads utime/stime from /proc/PID/stat around each run.
#   bench/k1-cpu-split.sh msglite|redis [RUNS]    (default 3 runs of 400,000 messages, after a warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: bench/k1-cpu-split.sh msglite|redis [RUNS]}"
runs="${2:-3}"
messages=400000
if [ ! -f server/target/msglite-server.jar ] || [ ! -f bench/target/msglite-bench.jar ]; then
  mvn -q -B -DskipTests -pl server,bench -am package >&2
fi
ticks="$(getconf CLK_TCK)"
case "$target" in
  msglite)
    java -Xms2g -Xmx2g -XX:+UseG1GC -jar server/target/msglite-server.jar -network tcp -address 127.0.0.1:17311 \
      -max-queue-messages 2000000 -monitor-address "" -metrics-address "" >/dev/null 2>&1 &
    pid=$!
    args=(--msglite 127.0.0.1:17311 --msglite-pid "$pid" --targets msglite) ;;
  redis)
    redis-server --port 17312 --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
    pid=$!
    args=(--redis 127.0.0.1:17312 --redis-pid "$pid" --targets redis) ;;
  *) echo "k1-cpu-split: msglite or redis, not $target" >&2; exit 2 ;;
esac
trap 'kill "$pid" 2>/dev/null || true' EXIT
sleep 3
tool() { java -jar bench/target/msglite-bench.jar "${args[@]}" --scenarios queue --queue-k 1 --queue-messages "$messages" --runs 1 "$@"; }
tool --warmup 1 --out /dev/null >/dev/null 2>&1
report="$(mktemp)"
for i in $(seq 1 "$runs"); do
  read -r u1 s1 < <(awk '{ print $14, $15 }' "/proc/$pid/stat")
  tool --warmup 0 --out "$report" >/dev/null 2>&1
  read -r u2 s2 < <(awk '{ print $14, $15 }' "/proc/$pid/stat")
  rate="$(grep -m1 "| queue K=1 throughput (msg/s) | $target |" "$report" | awk -F'|' '{ gsub(/ /, "", $4); print $4 }')"
  awk -v t="$target" -v i="$i" -v r="$rate" -v u=$((u2 - u1)) -v s=$((s2 - s1)) -v hz="$ticks" -v m="$messages" \
    'BEGIN { printf "%s run %d: %s msg/s, user %.2f µs/message, system %.2f µs/message\n", t, i, r, u / hz * 1e6 / m, s / hz * 1e6 / m }'
done
rm -f "$report"
