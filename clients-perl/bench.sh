#!/usr/bin/env bash
# Benchmark: the same hello-world PSGI app (t/apps/hello.psgi) with the same number of worker
# processes, served by the msglite HTTP proxy + plackup -s Msglite, and by Starman; wrk runs
# against each in turn, the order rotating each round, in the same run. Prints medians of
# requests/s and p99. For reference it also measures the proxy's own ceiling: a second daemon
# whose requests are answered by the project's Java HttpHelloHandler (as many connections as
# workers).
#
#   clients-perl/bench.sh              # WORKERS=2 ROUNDS=3 DURATION=10s
#   WORKERS=4 ROUNDS=5 clients-perl/bench.sh
#   PREFETCH=1 clients-perl/bench.sh   # the handler's --prefetch (default: the handler's own)
#   PREFETCH="1 8" clients-perl/bench.sh   # one daemon + handler pool per value, all in one run
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

# A daemon with its HTTP proxy on a Unix socket in $tmp/NAME.socket; the proxy's port, chosen
# by the OS and read from its start line, goes into proxy_port; its pid into daemon_pid.
start_daemon() {
  local name="$1"
  # shellcheck disable=SC2086  # the options are meant to split
  java $MSGLITE_JVM_OPTS -jar "$jar" -network unix -address "$tmp/$name.socket" -http-address 127.0.0.1:0 \
    -monitor-address "" -metrics-address "" -loglevel minimal >"$tmp/$name.log" 2>&1 &
  pids+=($!); daemon_pid=$!
  for _ in $(seq 1 300); do grep -q 'HTTP proxy listening' "$tmp/$name.log" && break; sleep 0.1; done
  proxy_port="$(sed -n 's/.*HTTP proxy listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/$name.log")"
  [ -n "$proxy_port" ] || { cat "$tmp/$name.log"; echo "bench: the daemon $name did not start"; exit 1; }
}

# The targets, in parallel arrays: a label, a URL and the pids whose CPU is counted (the first
# is shown on its own: the daemon).
labels=(); urls=(); cpu_pids=()
for k in ${PREFETCH:-default}; do
  start_daemon "msglite-$k"
  prefetch_opt=(); [ "$k" = default ] || prefetch_opt=(--prefetch "$k")
  /usr/bin/perl -I"$here/lib" /usr/bin/plackup -s Msglite --connect "unix:$tmp/msglite-$k.socket" \
    --workers "$WORKERS" "${prefetch_opt[@]}" -E deployment "$app" >"$tmp/plackup-$k.log" 2>&1 &
  pids+=($!)
  labels+=("msglite proxy + plackup -s Msglite, prefetch $k"); urls+=("http://127.0.0.1:$proxy_port/")
  cpu_pids+=("$daemon_pid $!")
done
starman_port="$(free_port)"
/usr/bin/perl /usr/bin/starman --workers "$WORKERS" --listen "127.0.0.1:$starman_port" -E deployment "$app" \
  >"$tmp/starman.log" 2>&1 &
pids+=($!)
labels+=("Starman"); urls+=("http://127.0.0.1:$starman_port/"); cpu_pids+=("$!")
starman=$((${#labels[@]} - 1))
# The reference: a daemon answered by the Java hello handler.
start_daemon ref
java -cp "$jar" org.msglite.client.HttpHelloHandler "$tmp/ref.socket" "$WORKERS" >"$tmp/ref-handler.log" 2>&1 &
pids+=($!)
labels+=("reference: msglite proxy + Java HttpHelloHandler"); urls+=("http://127.0.0.1:$proxy_port/")
cpu_pids+=("$daemon_pid $!")
for t in "${!urls[@]}"; do wait_http "${urls[t]}" "${labels[t]}"; done

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

n=${#urls[@]}
echo "bench: prefetch ${PREFETCH:-default}; $WORKERS workers each, wrk -t2 -c64 -d$DURATION, $ROUNDS rounds, order rotating; warming up"
for t in "${!urls[@]}"; do wrk -t2 -c64 -d2s "${urls[t]}" >/dev/null 2>&1; : >"$tmp/result-$t.txt"; done
show() { echo "$1" | awk '{ printf "%s req/s, p99 %s ms, max %s ms, errors %s, CPU %s us/req", $1, $2, $4, $3, $5 }'; }
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    t=$(((i + r - 1) % n))
    # shellcheck disable=SC2086  # a list of pids
    m="$(run_wrk "${urls[t]}" ${cpu_pids[t]})"; echo "$m" >>"$tmp/result-$t.txt"
    echo "round $r: ${labels[t]}: $(show "$m")"
  done
done

col() { awk -v c="$2" '{ print $c }' "$tmp/result-$1.txt" | median; }
runs() { awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$tmp/result-$1.txt"; }
echo
echo "| server ($WORKERS workers) | requests/s | runs | p99 ms | max ms | errors | server CPU µs/request |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for t in "${!urls[@]}"; do
  cpu="$(col "$t" 5)"; [ "$t" = "$starman" ] || cpu="$cpu (daemon $(col "$t" 6))"
  echo "| ${labels[t]} | $(col "$t" 1) | $(runs "$t") | $(col "$t" 2) | $(col "$t" 4) | $(col "$t" 3) | $cpu |"
done
echo "(medians of $ROUNDS runs each)"
echo
s_rps="$(col "$starman" 1)"; j_rps="$(col $((n - 1)) 1)"
for t in $(seq 0 $((starman - 1))); do
  m_rps="$(col "$t" 1)"
  echo "${labels[t]}: / Starman $(awk -v a="$m_rps" -v b="$s_rps" 'BEGIN { printf "%.2f", a / b }') (target: >= 1.00)," \
       "/ msglite + Java $(awk -v a="$m_rps" -v b="$j_rps" 'BEGIN { printf "%.2f", a / b }')"
done
