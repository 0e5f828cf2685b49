#!/usr/bin/env bash
# WSGI benchmark (issue 7), rerunnable: the same hello-world Flask app (tests/apps/flask_app.py,
# route "/", 13 bytes "Hello, World!") with the same number of worker processes, served by
#   (a) the msglite HTTP proxy + msglite.wsgi (this handler), workers on the daemon's Unix socket,
#   (b) gunicorn (Debian's package), sync workers, listening on its own,
# measured with wrk in one run, the order alternating. Prints a markdown report: median
# requests/s and p99 latency, and the ratio (a)/(b) against the target (a) >= (b).
# Everything listens on 127.0.0.1; every process it starts is stopped on exit (trap).
#
# Settings (environment, with defaults):
#   WORKERS=4          worker processes, for both servers
#   RUNS=5             measured runs per target, after one warm-up run each
#   DURATION=10s       wrk -d of each measured run
#   WARMUP=15s         wrk -d of the warm-up run (the daemon's JIT needs it)
#   WRK_THREADS=2 WRK_CONNECTIONS=64
#   MSGLITE_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC"   the daemon's JVM (as bench/run.sh uses)
#   KEEP=1             keep the work directory (logs, every wrk output) even on success
#   QUIET_WAIT_SECONDS=1800  how long to wait for other benchmarks (msglite-bench.jar, wrk,
#                      surefire) to finish before starting; then it gives up
# "server CPU" is user+system time from /proc of every process serving the target (daemon,
# handler master and workers / gunicorn master and workers, reaped workers included), over the
# requests wrk completed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

WORKERS="${WORKERS:-4}"
RUNS="${RUNS:-5}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-15s}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
MSGLITE_JVM_OPTS="${MSGLITE_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"
PYTHON=/usr/bin/python3      # Debian's Flask and gunicorn are installed for this interpreter
GUNICORN=/usr/bin/gunicorn
STARTUP_WAIT_SECONDS=60
QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-1800}"

say() { echo "wsgi-bench: $*" >&2; }
die() { say "$*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x "$GUNICORN" ] || missing+=(gunicorn)
{ [ -x "$PYTHON" ] && "$PYTHON" -c 'import flask' 2>/dev/null; } || missing+=(python3-flask)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  say "installing Debian's ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
jar="$root/server/target/msglite-server.jar"
if [ ! -f "$jar" ]; then
  say "building $jar"
  (cd "$root" && mvn -q -DskipTests -pl server -am package) >&2
fi

# --- a machine without other benchmarks (2 shared cores) -------------------------------------------
others() { pgrep -f msglite-bench.jar; pgrep -x wrk; pgrep -f surefire; } 2>/dev/null
deadline=$((SECONDS + QUIET_WAIT_SECONDS))
while [ -n "$(others)" ]; do
  [ $SECONDS -lt $deadline ] || die "other benchmarks still running after ${QUIET_WAIT_SECONDS}s: $(others | tr '\n' ' ')"
  say "waiting for other benchmarks to finish: $(others | tr '\n' ' ')"
  sleep 10
done

# --- work directory and clean-up ----------------------------------------------------------------
work="$(mktemp -d /tmp/msglite-wsgi-bench.XXXXXX)"
pids=()
ok=0
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$ok" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else say "logs and wrk outputs kept in $work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) until file $1 has a line matching $2, failing early if process $3 died.
await_line() {
  local deadline=$((SECONDS + STARTUP_WAIT_SECONDS))
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || die "process $3 exited before printing '$2'; see $1"
    [ $SECONDS -lt $deadline ] || die "no '$2' in $1 within ${STARTUP_WAIT_SECONDS}s"
    sleep 0.05
  done
}

# GET http://127.0.0.1:$1/ with bash's /dev/tcp, printing the body (both send a Content-Length).
http_get() {
  timeout 30 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"'
    printf "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3
    cat <&3' | sed '1,/^\r$/d'
}

# --- (a) msglite daemon + handler -----------------------------------------------------------------
cp "$jar" "$work/msglite-server.jar" # a rebuild during the run cannot swap classes under it
# shellcheck disable=SC2086 # MSGLITE_JVM_OPTS is a list of options
java $MSGLITE_JVM_OPTS -jar "$work/msglite-server.jar" -network unix -address "$work/msglite.socket" \
  -http-address 127.0.0.1:0 -monitor-address "" -metrics-address "" >"$work/daemon.log" 2>&1 &
pids+=($!)
await_line "$work/daemon.log" "HTTP proxy listening on" "${pids[-1]}"
msglite_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\) (tcp)$/\1/p' "$work/daemon.log")"
[ -n "$msglite_port" ] || die "could not read the proxy's port from $work/daemon.log"

(cd "$here/tests/apps" && PYTHONPATH="$here" exec "$PYTHON" -m msglite.wsgi --connect "$work/msglite.socket" \
  --workers "$WORKERS" --log-level warning flask_app:app) >"$work/handler.log" 2>&1 &
pids+=($!)

# --- (b) gunicorn -------------------------------------------------------------------------------
# Port 0: the kernel picks a free port and gunicorn logs it (at info level; no access log).
"$GUNICORN" --chdir "$here/tests/apps" --workers "$WORKERS" --worker-class sync \
  --bind 127.0.0.1:0 --log-level info flask_app:app >"$work/gunicorn.log" 2>&1 &
pids+=($!)
await_line "$work/gunicorn.log" "Listening at: " "${pids[-1]}"
gunicorn_port="$(sed -n 's/.*Listening at: http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/gunicorn.log" | head -n 1)"
[ -n "$gunicorn_port" ] || die "could not read gunicorn's port from $work/gunicorn.log"

declare -A port=([a]="$msglite_port" [b]="$gunicorn_port")
declare -A name=([a]="(a) msglite proxy + msglite.wsgi" [b]="(b) gunicorn sync")
for t in a b; do
  deadline=$((SECONDS + STARTUP_WAIT_SECONDS))
  # a request made before the msglite workers are ready waits in the daemon's queue
  until [ "$(http_get "${port[$t]}" 2>/dev/null)" = "Hello, World!" ]; do
    [ $SECONDS -lt $deadline ] || die "${name[$t]} did not answer Hello, World!; see $work/*.log"
    sleep 0.1
  done
done
# every worker process up (the master's children), so neither side is measured while booting
for t in a b; do
  master="${pids[$([ "$t" = a ] && echo 1 || echo 2)]}"
  deadline=$((SECONDS + STARTUP_WAIT_SECONDS))
  until [ "$(pgrep -c -P "$master" || true)" -ge "$WORKERS" ]; do
    [ $SECONDS -lt $deadline ] || die "${name[$t]} did not start $WORKERS workers"
    sleep 0.1
  done
done

# --- runs ---------------------------------------------------------------------------------------
declare -A group=([a]="${pids[0]} ${pids[1]}" [b]="${pids[2]}")
ticks="$(getconf CLK_TCK)"
# CPU clock ticks so far of the given processes, their live children, and their reaped children.
group_ticks() {
  local p total=0
  for p in $@ $(for m in "$@"; do pgrep -P "$m"; done); do
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# One wrk run: prints "requests_per_second p99_ms errors cpu_us_per_request"; keeps wrk's output.
measure() { # target label duration
  local out="$work/wrk-$1-$2.txt" before after
  # shellcheck disable=SC2086 # the group is a list of pids
  before="$(group_ticks ${group[$1]})"
  timeout $(( ${3%s} + 60 )) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$3" --latency \
    "http://127.0.0.1:${port[$1]}/" >"$out" 2>&1 || die "wrk failed on ${name[$1]}; see $out"
  # shellcheck disable=SC2086
  after="$(group_ticks ${group[$1]})"
  awk -v cpu_ticks="$((after - before))" -v hz="$ticks" '
    /requests in/ { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { if (rps == "" || p99 == "" || requests == 0) exit 1
          printf "%s %.3f %d %.0f\n", rps, p99, errors, cpu_ticks * 1e6 / hz / requests }' "$out" \
    || die "could not read wrk's output $out"
}

say "work directory $work; msglite proxy on $msglite_port, gunicorn on $gunicorn_port, $WORKERS workers each"
say "warm-up: wrk $WARMUP per target"
for t in a b; do measure "$t" warmup "$WARMUP" >/dev/null; done

declare -A rps p99 errs cpu
for t in a b; do rps[$t]=""; p99[$t]=""; errs[$t]=0; cpu[$t]=""; done
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="a b"; else order="b a"; fi
  for t in $order; do
    read -r r p e c <<<"$(measure "$t" "run$run" "$DURATION")"
    rps[$t]+="$r "; p99[$t]+="$p "; errs[$t]=$((errs[$t] + e)); cpu[$t]+="$c "
    say "run $run ${name[$t]}: $r req/s, p99 $p ms, errors $e, server CPU $c us/request"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A med_rps med_p99 med_cpu
for t in a b; do
  med_rps[$t]="$(echo "${rps[$t]}" | median)"
  med_p99[$t]="$(echo "${p99[$t]}" | median)"
  med_cpu[$t]="$(echo "${cpu[$t]}" | median)"
done
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
ratio_ab="$(ratio "${med_rps[a]}" "${med_rps[b]}")"
verdict="$(awk -v r="$ratio_ab" 'BEGIN { print (r >= 1.0) ? "met" : "**MISSED**" }')"

# --- report (stdout) ----------------------------------------------------------------------------
echo "Command: \`clients-python/bench.sh\` (WORKERS=$WORKERS, RUNS=$RUNS, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION --latency, one ${WARMUP} warm-up per target, order alternating)"
echo
echo "| target | median req/s | median p99 (ms) | vs (b) | errors | server CPU (µs/request) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for t in a b; do
  printf '| %s | %.0f | %.2f | %s | %d | %.0f |\n' "${name[$t]}" "${med_rps[$t]}" "${med_p99[$t]}" \
    "$(ratio "${med_rps[$t]}" "${med_rps[b]}")" "${errs[$t]}" "${med_cpu[$t]}"
done
echo
echo "Target (a) >= (b) in requests/s: (a)/(b) = $ratio_ab, $verdict."
echo
echo "Every measured run (in run order):"
echo
echo "| target | req/s | p99 (ms) | server CPU (µs/request) |"
echo "| --- | --- | --- | --- |"
for t in a b; do echo "| ${name[$t]} | ${rps[$t]% } | ${p99[$t]% } | ${cpu[$t]% } |"; done
ok=1
