#!/usr/bin/env bash
# HTTP proxy benchmark (issue 4), rerunnable: wrk against
#   (a) the msglite HTTP proxy directly, answered by HttpHelloHandler (13-byte "Hello, World!"),
#   (b) nginx in front of (a), with upstream keep-alive,
#   (c) nginx serving a static file holding the same 13 bytes,
# and a markdown table of median requests/s and p99 latency, with the target (a) >= 50% of (c).
# Everything listens on 127.0.0.1; every process it starts is stopped on exit (trap). It first waits
# (up to 10 min) while another wrk, the core benchmark or a Maven test run is going on.
#
# Settings (environment, with defaults):
#   RUNS=3             measured runs per target, after one warm-up run each; the order alternates
#   DURATION=10s       wrk -d of each measured run (in seconds, with the s)
#   WARMUP=5s          wrk -d of the warm-up run (in seconds, with the s)
#   WRK_THREADS=2      wrk -t
#   WRK_CONNECTIONS=64 wrk -c
#   HANDLER_CONNECTIONS=4        HttpHelloHandler's handler threads
#   HANDLER_PREFETCH=8           readies each handler thread keeps outstanding (1 = one connection,
#                                one request at a time; more = a request and a reply connection)
#   MSGLITE_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC"   the daemon's JVM (as bench/run.sh uses)
#   NGINX_WORKERS=auto nginx worker_processes (auto = one per core)
#   BUILD=1            rebuild the jars even if they exist (by default only missing jars are built)
#   KEEP=1             keep the work directory (logs, configs, every wrk output) even on success
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
HANDLER_CONNECTIONS="${HANDLER_CONNECTIONS:-4}"
HANDLER_PREFETCH="${HANDLER_PREFETCH:-8}"
MSGLITE_JVM_OPTS="${MSGLITE_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"
NGINX_WORKERS="${NGINX_WORKERS:-auto}"
NGINX=/usr/sbin/nginx
STARTUP_WAIT_SECONDS=30

say() { echo "http-bench: $*" >&2; }
die() { say "$*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x "$NGINX" ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  say "installing Debian's ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # the package may start its own service on port 80; this script runs a private nginx instead
  if [[ " ${missing[*]} " == *" nginx "* ]]; then service nginx stop >/dev/null 2>&1 || true; fi
fi

jar="$root/server/target/msglite-server.jar"
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$jar" ]; then
  say "building $jar"
  mvn -q -DskipTests -pl server -am package >&2
fi

# --- a shared machine: wait (up to 10 min) for other benchmarks and test runs to finish ---------
others() { pgrep -x wrk || pgrep -f 'msglite-bench\.jar' || pgrep -f surefirebooter; }
for _ in $(seq 1 120); do
  others >/dev/null || break
  say "waiting for another benchmark or test run to finish (pids $(others | tr '\n' ' '))"
  sleep 5
done
others >/dev/null && say "still busy after 10 min; running anyway, so expect lower figures"

# --- work directory and clean-up ----------------------------------------------------------------
work="$(mktemp -d /tmp/msglite-http-bench.XXXXXX)"
chmod 755 "$work" # nginx's workers drop to 'nobody' when started as root and must read the static file
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

# GET http://127.0.0.1:$1$2 with bash's /dev/tcp, printing the body; bounded by timeout.
http_get() {
  timeout 30 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"'
    printf "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" "'"$2"'" >&3
    cat <&3' | sed '1,/^\r$/d'
}

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- msglite daemon and handler ------------------------------------------------------------------
cp "$jar" "$work/msglite-server.jar" # a rebuild during the run cannot swap classes under it
daemon_args=(-network tcp -address 127.0.0.1:0 -http-address 127.0.0.1:0)
# Builds with the WebSocket monitor and metrics listen on fixed ports by default; turn them off so a
# daemon already running elsewhere cannot make the start fail (this measures the HTTP proxy alone).
if java -jar "$work/msglite-server.jar" --help 2>&1 | grep -q -- '-monitor-address'; then
  daemon_args+=(-monitor-address "" -metrics-address "")
fi
# shellcheck disable=SC2086 # MSGLITE_JVM_OPTS is a list of options
java $MSGLITE_JVM_OPTS -jar "$work/msglite-server.jar" "${daemon_args[@]}" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
pids+=($daemon_pid)
await_line "$work/daemon.log" "HTTP proxy listening on" "${pids[-1]}"
msg_port="$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\) (tcp)$/\1/p' "$work/daemon.log" | grep -v '^$' | head -n 1)"
http_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\) (tcp)$/\1/p' "$work/daemon.log")"
[ -n "$msg_port" ] && [ -n "$http_port" ] || die "could not read the daemon's ports from $work/daemon.log"

java -cp "$work/msglite-server.jar" org.msglite.client.HttpHelloHandler "127.0.0.1:$msg_port" "$HANDLER_CONNECTIONS" "$HANDLER_PREFETCH" \
  >"$work/handler.log" 2>&1 &
handler_pid=$!
pids+=($handler_pid)
# a request made before the handler is ready waits in the queue, so the first answer is the readiness signal
[ "$(http_get "$http_port" /)" = "Hello, World!" ] || die "msglite did not answer Hello, World!; see $work/*.log"

# --- nginx: static file and proxy to msglite ----------------------------------------------------
mkdir -p "$work/static"
printf 'Hello, World!' >"$work/static/hello.txt"
chmod 644 "$work/static/hello.txt"
proxy_port="$(free_port)"
static_port="$(free_port)"
while [ "$static_port" = "$proxy_port" ]; do static_port="$(free_port)"; done
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes $NGINX_WORKERS;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    default_type text/plain;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;

    upstream msglite {
        server 127.0.0.1:$http_port;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 25s;
    }
    server { # (b) nginx -> msglite
        listen 127.0.0.1:$proxy_port;
        server_name localhost;
        location / {
            proxy_pass http://msglite;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_buffering off;
            proxy_read_timeout 370s;
        }
    }
    server { # (c) nginx static
        listen 127.0.0.1:$static_port;
        server_name localhost;
        root $work/static;
    }
}
EOF
"$NGINX" -p "$work/" -c "$work/nginx.conf" -e "$work/nginx-error.log" >"$work/nginx.out" 2>&1 &
nginx_pid=$!
pids+=($nginx_pid)
deadline=$((SECONDS + STARTUP_WAIT_SECONDS))
until (exec 3<>"/dev/tcp/127.0.0.1/$static_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null; do
  kill -0 "${pids[-1]}" 2>/dev/null || die "nginx exited; see $work/nginx.out and $work/nginx-error.log"
  [ $SECONDS -lt $deadline ] || die "nginx did not accept within ${STARTUP_WAIT_SECONDS}s"
  sleep 0.05
done

declare -A url=(
  [a]="http://127.0.0.1:$http_port/"
  [b]="http://127.0.0.1:$proxy_port/"
  [c]="http://127.0.0.1:$static_port/hello.txt"
)
declare -A name=([a]="(a) msglite direct" [b]="(b) nginx -> msglite" [c]="(c) nginx static")
for t in a b c; do
  port_path="${url[$t]#http://127.0.0.1:}"
  body="$(http_get "${port_path%%/*}" "/${port_path#*/}")"
  [ "$body" = "Hello, World!" ] || die "${name[$t]} answered '$body', not Hello, World!"
done

# --- runs ---------------------------------------------------------------------------------------
# One wrk run: prints "requests_per_second p99_ms errors requests" and keeps wrk's output in $work.
measure() { # target label duration
  local out="$work/wrk-$1-$2.txt"
  timeout $(( ${3%s} + 60 )) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$3" --latency "${url[$1]}" >"$out" 2>&1 \
    || die "wrk failed on ${name[$1]}; see $out"
  awk '
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    / requests in / { requests = $1 }
    END { if (rps == "" || p99 == "" || requests == "") exit 1; printf "%s %.3f %d %d\n", rps, p99, errors, requests }' "$out" \
    || die "could not read wrk's output $out"
}

# CPU time (user + system, in clock ticks) used so far by the given processes, all their threads included.
cpu_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    t="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
tick_micros=$((1000000 / $(getconf CLK_TCK)))
per_request() { awk -v t="$1" -v us="$tick_micros" -v n="$2" 'BEGIN { printf "%.1f", t * us / n }'; }

say "work directory $work; daemon ports line $msg_port, HTTP $http_port; nginx proxy $proxy_port, static $static_port"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
say "warm-up: wrk ${WARMUP} per target"
for t in a b c; do measure "$t" warmup "$WARMUP" >/dev/null; done

declare -A rps p99 errs cpu_daemon cpu_handler cpu_nginx
for t in a b c; do rps[$t]=""; p99[$t]=""; errs[$t]=0; cpu_daemon[$t]=""; cpu_handler[$t]=""; cpu_nginx[$t]=""; done
nginx_pids=("$nginx_pid" $(pgrep -P "$nginx_pid" | tr '\n' ' '))
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="a b c"; else order="c b a"; fi
  for t in $order; do
    before=("$(cpu_ticks "$daemon_pid")" "$(cpu_ticks "$handler_pid")" "$(cpu_ticks "${nginx_pids[@]}")")
    result="$(measure "$t" "run$run" "$DURATION")"
    read -r r p e n <<<"$result"
    cpu_daemon[$t]+="$(per_request $(($(cpu_ticks "$daemon_pid") - before[0])) "$n") "
    cpu_handler[$t]+="$(per_request $(($(cpu_ticks "$handler_pid") - before[1])) "$n") "
    cpu_nginx[$t]+="$(per_request $(($(cpu_ticks "${nginx_pids[@]}") - before[2])) "$n") "
    rps[$t]+="$r "; p99[$t]+="$p "; errs[$t]=$((errs[$t] + e))
    say "run $run ${name[$t]}: $r req/s, p99 $p ms, errors $e"
  done
done
grep -v '^$' "$work/nginx-error.log" >&2 2>/dev/null && say "(nginx error log above)" || true

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A med_rps med_p99
for t in a b c; do
  med_rps[$t]="$(echo "${rps[$t]}" | median)"
  med_p99[$t]="$(echo "${p99[$t]}" | median)"
done
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
ratio_ac="$(ratio "${med_rps[a]}" "${med_rps[c]}")"
ratio_bc="$(ratio "${med_rps[b]}" "${med_rps[c]}")"
verdict="$(awk -v r="$ratio_ac" 'BEGIN { print (r >= 0.5) ? "met" : "**MISSED**" }')"

# --- report (stdout) ----------------------------------------------------------------------------
echo "Daemon: \`java $MSGLITE_JVM_OPTS -jar msglite-server.jar $(printf "%q " "${daemon_args[@]}" | sed "s/ $//")\` ($(head -n 1 "$work/daemon.log" | cut -d' ' -f1-2)); handler: HttpHelloHandler with $HANDLER_CONNECTIONS threads, prefetch $HANDLER_PREFETCH; nginx worker_processes $NGINX_WORKERS"
echo
echo "Command: \`bench/http-bench.sh\` (RUNS=$RUNS, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION --latency, one ${WARMUP} warm-up per target, order alternating)"
echo
echo "| target | median req/s | median p99 (ms) | vs (c) | errors |"
echo "| --- | ---: | ---: | ---: | ---: |"
for t in a b c; do
  printf '| %s | %.0f | %.2f | %s | %d |\n' "${name[$t]}" "${med_rps[$t]}" "${med_p99[$t]}" \
    "$(ratio "${med_rps[$t]}" "${med_rps[c]}")" "${errs[$t]}"
done
echo
echo "Target (a) >= 50% of (c): (a)/(c) = $ratio_ac, $verdict. (b)/(c) = $ratio_bc."
echo
echo "CPU time per request (user + system, µs; medians over the runs; $((tick_micros / 1000)) ms clock ticks):"
echo
echo "| target | msglite daemon | HttpHelloHandler | nginx (all processes) |"
echo "| --- | ---: | ---: | ---: |"
for t in a b c; do
  echo "| ${name[$t]} | $(echo "${cpu_daemon[$t]}" | median) | $(echo "${cpu_handler[$t]}" | median) | $(echo "${cpu_nginx[$t]}" | median) |"
done
echo
echo "Every measured run (in run order):"
echo
echo "| target | req/s | p99 (ms) |"
echo "| --- | --- | --- |"
commas() { echo "$1" | sed 's/ *$//; s/ /, /g'; }
for t in a b c; do echo "| ${name[$t]} | $(commas "${rps[$t]}") | $(commas "${p99[$t]}") |"; done
echo
echo "Load average (1/5/15 min) before the warm-up: $load_before; after the last run: $(cut -d' ' -f1-3 /proc/loadavg)"
ok=1
