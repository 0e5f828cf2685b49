#!/usr/bin/env bash
# Rack benchmark (issue 9): one hello-world Rack app, served with the same number of worker
# processes by
#   (a) the msglite HTTP proxy + `rackup -s msglite` (this handler, over the daemon's Unix socket)
#   (b) Debian's Puma in cluster mode (`puma -w N`, its default threads per worker),
# measured in the same run with wrk, alternating (a) and (b). Prints median requests/s and p99
# latency of each, and the ratio (a)/(b) against the target (>= 1.0).
# Everything listens on 127.0.0.1 on free ports; every process it starts is stopped on exit.
#
# Settings (environment, with defaults):
#   WORKERS=2          worker processes of each server
#   RUNS=5             measured runs per server, after one warm-up run each
#   DURATION=10s       wrk -d of each measured run
#   WARMUP=5s          wrk -d of the warm-up runs
#   WRK_THREADS=2 WRK_CONNECTIONS=64
#   PREFETCH=          the handler's -O prefetch=K (empty: the handler's default)
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

# --- (a) msglite daemon + this handler ----------------------------------------------------------
# shellcheck disable=SC2086 # the JVM options are a list
java $MSGLITE_JVM_OPTS -jar "$jar" -network unix -address "$work/msglite.socket" -http-address 127.0.0.1:0 \
  -monitor-address "" -metrics-address "" >"$work/daemon.out" 2>"$work/daemon.err" &
pids+=($!)
http_port=""
for _ in $(seq $((STARTUP_WAIT_SECONDS * 10))); do
  http_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/daemon.out")"
  [ -n "$http_port" ] && break
  sleep 0.1
done
[ -n "$http_port" ] || die "the daemon did not start: $(cat "$work/daemon.err")"
(cd "$work" && exec /usr/bin/ruby /usr/bin/rackup -I "$here/lib" -s msglite -E production \
  -O "connect=$work/msglite.socket" -O "workers=$WORKERS" ${PREFETCH:+-O "prefetch=$PREFETCH"} hello.ru) \
  >"$work/rackup.log" 2>&1 &
pids+=($!)
msglite_url="http://127.0.0.1:$http_port/"

# --- (b) Puma -------------------------------------------------------------------------------------
puma_port="$(free_port)"
(cd "$work" && exec puma -e production -w "$WORKERS" -b "tcp://127.0.0.1:$puma_port" hello.ru) >"$work/puma.log" 2>&1 &
pids+=($!)
puma_url="http://127.0.0.1:$puma_port/"

wait_http "$msglite_url"
wait_http "$puma_url"
[ "$(curl -s "$msglite_url")" = "Hello, World!" ] || die "msglite answered something else"
[ "$(curl -s "$puma_url")" = "Hello, World!" ] || die "Puma answered something else"

# --- runs ---------------------------------------------------------------------------------------
# CPU time (user + system, in clock ticks) used so far by the given processes.
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
hz="$(getconf CLK_TCK)"
daemon_pid="${pids[0]}"
handler_pids="$(pgrep -P "${pids[1]}" | tr '\n' ' ')"      # the handler's worker processes
puma_pids="${pids[2]} $(pgrep -P "${pids[2]}" | tr '\n' ' ')" # Puma's master and workers

# One wrk run: "RPS P99MS CPU_US_PER_REQUEST[+CPU_US_PER_REQUEST] ERRORS", where the CPU figures
# are microseconds of CPU per request, for the daemon and the handler (msglite) or for Puma.
measure() {
  local name="$1" url="$2" duration="$3" out groups before after
  out="$work/wrk-$name-$(date +%s%N).txt"
  if [ "$name" = msglite ]; then groups=("$daemon_pid" "$handler_pids"); else groups=("$puma_pids"); fi
  # shellcheck disable=SC2086 # each group is a list of pids
  before="$(for g in "${groups[@]}"; do ticks $g; done | tr '\n' ' ')"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$duration" --latency "$url" >"$out"
  # shellcheck disable=SC2086
  after="$(for g in "${groups[@]}"; do ticks $g; done | tr '\n' ' ')"
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
measure msglite "$msglite_url" "$WARMUP" >/dev/null
measure puma "$puma_url" "$WARMUP" >/dev/null

declare -a m_rps m_p99 m_cpu p_rps p_p99 p_cpu
for run in $(seq "$RUNS"); do
  order=(msglite puma)
  [ $((run % 2)) -eq 0 ] && order=(puma msglite)
  for name in "${order[@]}"; do
    url="$msglite_url"; [ "$name" = puma ] && url="$puma_url"
    read -r rps p99 cpu errors < <(measure "$name" "$url" "$DURATION")
    say "run $run $name: $rps req/s, p99 $p99 ms, CPU $cpu us/request, errors: $errors"
    if [ "$name" = msglite ]; then
      m_rps+=("$rps"); m_p99+=("$p99"); m_cpu+=("$cpu")
    else
      p_rps+=("$rps"); p_p99+=("$p99"); p_cpu+=("$cpu")
    fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mr="$(median "${m_rps[@]}")"; mp="$(median "${m_p99[@]}")"
pr="$(median "${p_rps[@]}")"; pp="$(median "${p_p99[@]}")"
ratio="$(awk -v a="$mr" -v b="$pr" 'BEGIN { printf "%.2f", a / b }')"

echo
echo "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION, $RUNS runs each, medians; $WORKERS worker processes each"
echo
echo "| server | requests/s | p99 (ms) | runs (requests/s) | CPU per request, each run (us) |"
echo "| --- | ---: | ---: | --- | --- |"
echo "| msglite proxy + rackup -s msglite | $mr | $mp | ${m_rps[*]} | daemon+handler: ${m_cpu[*]} |"
echo "| Puma $(puma --version 2>/dev/null | awk '{print $3}') (-w $WORKERS, $(grep -o 'Max threads: [0-9]*' "$work/puma.log" | head -1)) | $pr | $pp | ${p_rps[*]} | ${p_cpu[*]} |"
echo
echo "ratio msglite/Puma: $ratio (target >= 1.00)"
