#!/usr/bin/env bash
# Benchmark: the same hello-world PSGI app (t/apps/hello.psgi) with the same number of worker
# processes, served by the msglite HTTP proxy + plackup -s Msglite, and by Starman; wrk runs
# against each in turn, alternating, in the same run. Prints medians of requests/s and p99.
# For reference it also measures the proxy's own ceiling: a second daemon whose requests are
# answered by the project's Java HttpHelloHandler (as many connections as workers).
#
#   clients-perl/bench.sh              # WORKERS=2 ROUNDS=3 DURATION=10s
#   WORKERS=4 ROUNDS=5 clients-perl/bench.sh
#   PREFETCH=1 clients-perl/bench.sh   # the handler's --prefetch (default: the handler's own)
#   MSGLITE_JVM_OPTS="..." sets the daemons' JVM options
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
WORKERS="${WORKERS:-2}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
MSGLITE_JVM_OPTS="${MSGLITE_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"   # as bench/http-bench.sh
app="$here/t/apps/hello.psgi"
jar="$root/server/target/msglite-server.jar"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v starman >/dev/null || missing+=(starman)
command -v curl >/dev/null || missing+=(curl)
dpkg-query -W -f='${Status}' libplack-perl 2>/dev/null | grep -q 'install ok installed' || missing+=(libplack-perl)
dpkg-query -W -f='${Status}' libjson-xs-perl 2>/dev/null | grep -q 'install ok installed' || missing+=(libjson-xs-perl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "bench: install with: sudo apt-get install -y ${missing[*]}"; exit 1
  fi
fi
[ -f "$jar" ] || { echo "bench: $jar is missing; build it: (cd $root && mvn -q -DskipTests -pl server package)"; exit 1; }

tmp="$(mktemp -d /tmp/msglite-perl-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Two shared cores: do not measure while someone else's benchmark or test run is going.
for i in $(seq 1 120); do
  if ! pgrep -f msglite-bench.jar >/dev/null && ! pgrep -x wrk >/dev/null && ! pgrep -f surefire >/dev/null; then break; fi
  [ "$i" -eq 120 ] && { echo "bench: the machine stayed busy for 10 minutes; giving up"; exit 1; }
  echo "bench: waiting for other benchmarks or test runs to finish..."; sleep 5
done

free_port() { /usr/bin/perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0")->sockport'; }
wait_http() {   # url, what
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.1
  done
  echo "bench: $2 did not answer on $1"; exit 1
}

# The daemon with its HTTP proxy; ports chosen by the OS and read from its start lines.
# shellcheck disable=SC2086  # the options are meant to split
java $MSGLITE_JVM_OPTS -jar "$jar" -network unix -address "$tmp/msglite.socket" -http-address 127.0.0.1:0 \
  -monitor-address "" -metrics-address "" -loglevel minimal >"$tmp/daemon.log" 2>&1 &
pids+=($!); daemon_pid=$!
for _ in $(seq 1 300); do grep -q 'HTTP proxy listening' "$tmp/daemon.log" && break; sleep 0.1; done
proxy_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/daemon.log")"
[ -n "$proxy_port" ] || { cat "$tmp/daemon.log"; echo "bench: the daemon did not start"; exit 1; }

# The reference: a second daemon, answered by the Java hello handler.
# shellcheck disable=SC2086
java $MSGLITE_JVM_OPTS -jar "$jar" -network unix -address "$tmp/ref.socket" -http-address 127.0.0.1:0 \
  -monitor-address "" -metrics-address "" -loglevel minimal >"$tmp/ref.log" 2>&1 &
pids+=($!); ref_daemon_pid=$!
for _ in $(seq 1 300); do grep -q 'HTTP proxy listening' "$tmp/ref.log" && break; sleep 0.1; done
ref_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/ref.log")"
[ -n "$ref_port" ] || { cat "$tmp/ref.log"; echo "bench: the reference daemon did not start"; exit 1; }
java -cp "$jar" org.msglite.client.HttpHelloHandler "$tmp/ref.socket" "$WORKERS" >"$tmp/ref-handler.log" 2>&1 &
pids+=($!); ref_handler_pid=$!

/usr/bin/perl -I"$here/lib" /usr/bin/plackup -s Msglite --connect "unix:$tmp/msglite.socket" \
  --workers "$WORKERS" ${PREFETCH:+--prefetch "$PREFETCH"} -E deployment "$app" >"$tmp/plackup.log" 2>&1 &
pids+=($!); plackup_pid=$!
starman_port="$(free_port)"
/usr/bin/perl /usr/bin/starman --workers "$WORKERS" --listen "127.0.0.1:$starman_port" -E deployment "$app" \
  >"$tmp/starman.log" 2>&1 &
pids+=($!); starman_pid=$!
msglite_url="http://127.0.0.1:$proxy_port/"
starman_url="http://127.0.0.1:$starman_port/"
ref_url="http://127.0.0.1:$ref_port/"
wait_http "$msglite_url" "msglite proxy + Plack::Handler::Msglite"
wait_http "$starman_url" "Starman"
wait_http "$ref_url" "msglite proxy + Java HttpHelloHandler"

# CPU ticks (1/100 s) used so far by these processes, their children (the workers) and the
# children they reaped (workers that exited, as Starman's do every 1000 requests).
# /proc/PID/stat fields counted after "(comm) ", which may contain spaces ("starman master").
stat_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk -v all="$2" '{ v = $12 + $13 + (all ? $14 + $15 : 0) } END { print v + 0 }'; }
ticks() {
  local total=0 p c
  for p in "$@"; do
    total=$((total + $(stat_ticks "$p" 1)))
    for c in $(pgrep -P "$p"); do total=$((total + $(stat_ticks "$c" 0))); done
  done
  echo "$total"
}

# One wrk run against URL, watching the CPU of the given server processes: prints
# "requests_per_second p99_ms errors max_ms server_cpu_us_per_request first_process_cpu_us". The max shows what p99 hides
# for Starman: it serves one keep-alive connection per worker, the others wait to be accepted.
run_wrk() {
  local url="$1"; shift
  local before first; before="$(ticks "$@")"; first="$(ticks "$1")"
  wrk -t2 -c64 -d"$DURATION" --latency "$url" >"$tmp/wrk.out" 2>&1
  echo "cpu_ticks $(( $(ticks "$@") - before )) $(( $(ticks "$1") - first ))" >>"$tmp/wrk.out"
  awk '
    function ms(t,   v, u) { v = t; u = t; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
                             return (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Latency" && NF >= 5 && !max { max = ms($4) }
    /Socket errors/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
    /Non-2xx/ { err += $NF }
    / requests in / { n = $1 }
    $1 == "cpu_ticks" { us = n ? $2 * 10000 / n : 0; us1 = n ? $3 * 10000 / n : 0 }
    END { printf "%.0f %.2f %d %.1f %.0f %.0f\n", rps, p99, err, max, us, us1 }' "$tmp/wrk.out"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "bench: prefetch ${PREFETCH:-default}; $WORKERS workers each, wrk -t2 -c64 -d$DURATION, $ROUNDS rounds, alternating; warming up"
wrk -t2 -c64 -d2s "$msglite_url" >/dev/null 2>&1
wrk -t2 -c64 -d2s "$starman_url" >/dev/null 2>&1
wrk -t2 -c64 -d2s "$ref_url" >/dev/null 2>&1
: >"$tmp/msglite.txt"; : >"$tmp/starman.txt"; : >"$tmp/ref.txt"
show() { echo "$1" | awk '{ printf "%s req/s, p99 %s ms, max %s ms, errors %s, CPU %s us/req", $1, $2, $4, $3, $5 }'; }
for r in $(seq 1 "$ROUNDS"); do
  m="$(run_wrk "$msglite_url" "$daemon_pid" "$plackup_pid")"; echo "$m" >>"$tmp/msglite.txt"
  s="$(run_wrk "$starman_url" "$starman_pid")"; echo "$s" >>"$tmp/starman.txt"
  j="$(run_wrk "$ref_url" "$ref_daemon_pid" "$ref_handler_pid")"; echo "$j" >>"$tmp/ref.txt"
  echo "round $r: msglite+perl $(show "$m") | starman $(show "$s") | msglite+java $(show "$j")"
done

col() { awk -v c="$2" '{ print $c }' "$tmp/$1.txt" | median; }
m_rps="$(col msglite 1)"; s_rps="$(col starman 1)"; j_rps="$(col ref 1)"
ratio="$(awk -v a="$m_rps" -v b="$s_rps" 'BEGIN { printf "%.2f", a / b }')"
echo
echo "| server ($WORKERS workers) | requests/s | p99 ms | max ms | errors | server CPU µs/request |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| msglite proxy + plackup -s Msglite | $m_rps | $(col msglite 2) | $(col msglite 4) | $(col msglite 3) | $(col msglite 5) (daemon $(col msglite 6)) |"
echo "| Starman | $s_rps | $(col starman 2) | $(col starman 4) | $(col starman 3) | $(col starman 5) |"
echo "| reference: msglite proxy + Java HttpHelloHandler | $j_rps | $(col ref 2) | $(col ref 4) | $(col ref 3) | $(col ref 5) (daemon $(col ref 6)) |"
echo "(medians of $ROUNDS runs each)"
echo
echo "msglite / Starman throughput: $ratio (target: >= 1.00)"
echo "msglite + Perl / msglite + Java (share of the proxy's ceiling): $(awk -v a="$m_rps" -v b="$j_rps" 'BEGIN { printf "%.2f", a / b }')"
