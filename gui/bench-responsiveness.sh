#!/usr/bin/env bash
# Issue 6's responsiveness bar, measured (see ResponsivenessBench): the dashboard in a real window
# under Xvfb, watching a headless daemon that another process loads with ADDRESSES addresses and
# a RATE messages/s stream the dashboard taps; FX-thread probe delays and frame intervals against
# the idle app in the same run. Prints a Markdown table for docs/BENCHMARKS.md.
#
#   gui/bench-responsiveness.sh [SECONDS_PER_PHASE=20 [ADDRESSES=10000 [RATE=5000]]]
#
# MVN_OFFLINE=1 builds with mvn -o. Needs xvfb-run (Debian: apt-get install xvfb) and GTK 3 (libgtk-3-0). Builds what it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
mvn -B -ntp -q ${MVN_OFFLINE:+-o} package -pl gui -am -DskipTests >&2
mvn -B -ntp -q ${MVN_OFFLINE:+-o} test-compile -pl gui >&2
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp gui/target/msglite-gui.jar:gui/target/test-classes org.msglite.gui.bench.ResponsivenessBench \
    server/target/msglite-server.jar "$@"
