#!/usr/bin/env bash
# Issue 6's responsiveness bar, measured (see ResponsivenessBench): the dashboard in a real window
# under Xvfb, watching a headless daemon that another process loads with ADDRESSES addresses and
# a RATE messages/s stream the dashboard taps; FX-thread probe delays and frame intervals against
# the idle app in the same run, and the FX thread's CPU time. Runs RUNS times and prints every run's table, then the medians.
#
#   gui/bench-responsiveness.sh [SECONDS_PER_PHASE=20 [ADDRESSES=10000 [RATE=5000]]]
#
# Environment: RUNS (3), QUIET_WAIT (seconds to wait for a 1-minute load average below 1.5
# before each run; 300), MVN_OFFLINE=1 (build with mvn -o), ROOT (the checkout to build and
# measure; this one by default, another to compare versions).
# Needs xvfb-run (Debian: apt-get install xvfb), GTK 3 (libgtk-3-0) and python3 for the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
root="${ROOT:-$PWD}"
(cd "$root" && mvn -B -ntp -q ${MVN_OFFLINE:+-o} package -pl gui -am -DskipTests \
    && mvn -B -ntp -q ${MVN_OFFLINE:+-o} test-compile -pl gui -am -Dmaven.test.skip.exec) >&2

wait_quiet() {
    local waited=0
    while awk '{exit !($1 >= 1.5)}' /proc/loadavg && [ "$waited" -lt "${QUIET_WAIT:-300}" ]; do
        sleep 10; waited=$((waited + 10))
    done
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); checkout $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- gui/src || echo ' (modified)')"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq 1 "${RUNS:-3}"); do
    wait_quiet
    echo
    echo "run $run, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx1g -cp "$root/gui/target/msglite-gui.jar:$root/gui/target/test-classes" \
        org.msglite.gui.bench.ResponsivenessBench "$root/server/target/msglite-server.jar" "$@" 2>/dev/null \
        | tee -a "$results" 
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo
echo "medians over ${RUNS:-3} runs:"
python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith('| idle') or line.startswith('| loaded'):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        rows.setdefault(cells[0], []).append(cells[1:])
print("| phase | probe delay median / p99 / max (ms) | frame interval median / p99 / max (ms) | FX / render thread CPU (% of one core) "
      "| daemon accepted msg/s | tap events to the app /s | dropped by the daemon /s | rows added to the live table /s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for phase, runs in rows.items():
    out = []
    for col in range(len(runs[0])):
        numbers = [[float(x) for x in re.findall(r'[\d.]+', r[col].split('(')[0])] for r in runs]
        med = [statistics.median(n[i] for n in numbers) for i in range(len(numbers[0]))]
        out.append(' / '.join(f'{m:.1f}' if len(med) > 1 else f'{m:.0f}' for m in med))
    print(f"| {phase} | " + ' | '.join(out) + " |")
PY
