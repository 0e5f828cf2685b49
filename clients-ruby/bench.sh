#!/usr/bin/env bash
# Rack benchmark (issue 9): one hello-world Rack app, served with the same number of worker
# processes by
#   (a) the msglite HTTP proxy + `rackup -s msglite` (this handler, over the daemon's Unix socket),
#       one daemon and handler pool for each PREFETCH value
#   (b) Debian's Puma in cluster mode (`puma -w N`, its default threads per worker),
# measured in the same run with wrk, the order rotating each run. Prints median requests/s and
# p99 latency of each, and the ratio (a)/(b) against the target (>= 1.0).
# Everything listens on 127.0.0.1 on free ports; every process it starts is stopped on exit.
#
# Settings (environment, with defaults):
#   WORKERS=2          worker processes of each server
#   RUNS=5             measured runs per server, after one warm-up run each
#   DURATION=10s       wrk -d of each measured run
#   WARMUP=5s          wrk -d of the warm-up runs
#   WRK_THREADS=2 WRK_CONNECTIONS=64
#   PREFETCH=          the handler's -O prefetch=K (empty: the handler's default); several
#                      values ("1 8") start a daemon and a pool for each, all in the same run
#   MSGLITE_JVM_OPTS="-Xms1g -Xmx1g -XX:+UseG1GC"
#   KEEP=1             keep the work directory (logs, every wrk output)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

WORKERS="${WORKERS:-2}"
RUNS="${RUNS:-5}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
MSGLITE_JVM_OPTS="${MSGLITE_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
STARTUP_WAIT_SECONDS=60

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for pkg in ruby ruby-rack puma wrk curl; do installed "$pkg" || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  say "installing Debian's ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
jar="$root/server/target/msglite-server.jar"
if [ ! -f "$jar" ]; then
  say "building $jar"
  (cd "$root" && mvn -q -DskipTests -pl server package) >&2
fi

# --- work directory and clean-up ----------------------------------------------------------------
work="$(mktemp -d /tmp/msglite-rack-bench.XXXXXX)"
pids=()
# Stops what was started, newest first (the handler before the daemon it talks to).
cleanup() {
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/ruby -rsocket -e 'puts TCPServer.open("127.0.0.1", 0) { |s| s.addr[1] }'; }

# Polls (bounded) until $1 answers 200.
wait_http() {
  for _ in $(seq $((STARTUP_WAIT_SECONDS * 10))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.1
  done
  die "$1 did not answer within ${STARTUP_WAIT_SECONDS} s (logs in $work; KEEP=1 keeps them)"
}

# The same app for both: a fixed 13-byte body with its Content-Length, so neither server needs
# middleware; both run in the production environment (no rackup/Puma development middleware).
cat > "$work/hello.ru" <<'EOF'
BODY = ["Hello, World!"].freeze
HEADERS = { "Content-Type" => "text/plain", "Content-Length" => "13" }.freeze
run ->(_env) { [200, HEADERS.dup, BODY] }
EOF

# --- (a) msglite daemon + this handler, per prefetch value ---------------------------------------
# The targets, in parallel arrays: a name, a label, a URL, and the pid groups whose CPU is counted
# (each group is a space-separated list, reported as one figure; groups are joined by "+").
names=(); labels=(); urls=(); groups=()
for k in ${PREFETCH:-default}; do
  # shellcheck disable=SC2086 # the JVM options are a list
  java $MSGLITE_JVM_OPTS -jar "$jar" -network unix -address "$work/msglite-$k.socket" -http-address 127.0.0.1:0 \
    -monitor-address "" -metrics-address "" >"$work/daemon-$k.out" 2>"$work/daemon-$k.err" &
  pids+=($!); daemon_pid=$!
  http_port=""
  for _ in $(seq $((STARTUP_WAIT_SECONDS * 10))); do
    http_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/daemon-$k.out")"
    [ -n "$http_port" ] && break
    sleep 0.1
  done
  [ -n "$http_port" ] || die "the daemon did not start: $(cat "$work/daemon-$k.err")"
  prefetch_opt=(); [ "$k" = default ] || prefetch_opt=(-O "prefetch=$k")
  (cd "$work" && exec /usr/bin/ruby /usr/bin/rackup -I "$here/lib" -s msglite -E production \
    -O "connect=$work/msglite-$k.socket" -O "workers=$WORKERS" "${prefetch_opt[@]}" hello.ru) \
    >"$work/rackup-$k.log" 2>&1 &
  pids+=($!)
  names+=("msglite-$k"); labels+=("msglite proxy + rackup -s msglite, prefetch $k")
  urls+=("http://127.0.0.1:$http_port/"); groups+=("$daemon_pid|$!")  # the rackup pid: its workers found below
done

# --- (b) Puma -------------------------------------------------------------------------------------
puma_port="$(free_port)"
(cd "$work" && exec puma -e production -w "$WORKERS" -b "tcp://127.0.0.1:$puma_port" hello.ru) >"$work/puma.log" 2>&1 &
pids+=($!)
names+=(puma); urls+=("http://127.0.0.1:$puma_port/")
puma=$((${#names[@]} - 1))

for t in "${!urls[@]}"; do
  wait_http "${urls[t]}"
  [ "$(curl -s "${urls[t]}")" = "Hello, World!" ] || die "${names[t]} answered something else"
done
labels+=("Puma $(puma --version 2>/dev/null | awk '{print $3}') (-w $WORKERS, $(grep -o 'Max threads: [0-9]*' "$work/puma.log" | head -1))")

# --- runs ---------------------------------------------------------------------------------------
# CPU time (user + system, in clock ticks) used so far by the given processes.
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
hz="$(getconf CLK_TCK)"
# Now that the pools are up: msglite's groups become "daemon|handler workers", Puma's its master
# and workers.
for t in "${!names[@]}"; do
  if [ "$t" = "$puma" ]; then
    groups[t]="${pids[-1]} $(pgrep -P "${pids[-1]}" | tr '\n' ' ')"
  else
    groups[t]="${groups[t]%|*}|$(pgrep -P "${groups[t]#*|}" | tr '\n' ' ')"
  fi
done

# One wrk run against target T: "RPS P99MS CPU_US_PER_REQUEST[+CPU_US_PER_REQUEST] ERRORS", where
# the CPU figures are microseconds of CPU per request, for the daemon and the handler (msglite) or
# for Puma.
measure() {
  local t="$1" duration="$2" out before after g
  out="$work/wrk-${names[t]}-$(date +%s%N).txt"
  IFS='|' read -r -a g <<<"${groups[t]}"
  # shellcheck disable=SC2086 # each group is a list of pids
  before="$(for x in "${g[@]}"; do ticks $x; done | tr '\n' ' ')"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$duration" --latency "${urls[t]}" >"$out"
  # shellcheck disable=SC2086
  after="$(for x in "${g[@]}"; do ticks $x; done | tr '\n' ' ')"
  awk -v before="$before" -v after="$after" -v hz="$hz" '
    /requests in/ { requests = $1 }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    /Non-2xx|Socket errors/ { errors = errors $0 "; " }
    END {
      n = split(before, b, " "); split(after, a, " "); cpu = ""
      for (i = 1; i <= n; i++) cpu = cpu (i > 1 ? "+" : "") sprintf("%.0f", (a[i] - b[i]) * 1e6 / hz / requests)
      printf "%s %.2f %s %s\n", rps, p99, cpu, (errors == "" ? "none" : errors) }' "$out"
}

say "warming up (${WARMUP} each)"
for t in "${!urls[@]}"; do measure "$t" "$WARMUP" >/dev/null; : >"$work/result-$t.txt"; done

n=${#urls[@]}
for run in $(seq "$RUNS"); do
  for i in $(seq 0 $((n - 1))); do
    t=$(((i + run - 1) % n))
    read -r rps p99 cpu errors < <(measure "$t" "$DURATION")
    say "run $run ${names[t]}: $rps req/s, p99 $p99 ms, CPU $cpu us/request, errors: $errors"
    echo "$rps $p99 $cpu" >>"$work/result-$t.txt"
  done
done

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$work/result-$1.txt" | median; }
list() { awk -v c="$2" '{ printf "%s%s", (NR > 1 ? ", " : ""), $c }' "$work/result-$1.txt"; }

echo
echo "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION, $RUNS runs each, medians; $WORKERS worker processes each"
echo
echo "| server | requests/s | p99 (ms) | runs (requests/s) | CPU per request, each run (us) |"
echo "| --- | ---: | ---: | --- | --- |"
for t in "${!urls[@]}"; do
  who="Puma"; [ "$t" = "$puma" ] || who="daemon+handler"
  echo "| ${labels[t]} | $(col "$t" 1) | $(col "$t" 2) | $(list "$t" 1) | $who: $(list "$t" 3) |"
done
echo
pr="$(col "$puma" 1)"
for t in $(seq 0 $((puma - 1))); do
  echo "ratio ${names[t]}/Puma: $(awk -v a="$(col "$t" 1)" -v b="$pr" 'BEGIN { printf "%.2f", a / b }') (target >= 1.00)"
done
