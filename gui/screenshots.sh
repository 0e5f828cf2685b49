#!/usr/bin/env bash
# Screenshots of every dashboard view, taken from the real app (fat jar, embedded daemon) under
# Xvfb, with a little traffic so the views have something to show. Writes docs/images/gui-*.png.
#
#   mvn -B -q package -pl gui -am -DskipTests && gui/screenshots.sh
#
# Needs xvfb-run, xdotool and ImageMagick's import (Debian: apt-get install xvfb xdotool imagemagick).
# Actions use the keyboard shortcuts where there are some; the remaining clicks use window-relative
# positions of the 1200x760 default window, so if a view's layout changes, check the pictures.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f gui/target/msglite-gui.jar ] || { echo "build first: mvn -B -q package -pl gui -am -DskipTests" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

out=docs/images
mkdir -p "$out"
log=$(mktemp)
prefs=$(mktemp -d)   # a fresh window size: the clicks below assume the default 1200x760
java -Djava.util.prefs.userRoot="$prefs" -jar gui/target/msglite-gui.jar --tcp 127.0.0.1:0 >"$log" 2>&1 &
app=$!
helpers=()
cleanup() {
    for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    rm -rf "$log" "$prefs"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    grep -q "embedded daemon: tcp" "$log" && break
    sleep 0.2
done
port=$(sed -n 's/.*embedded daemon: tcp [0-9.]*:\([0-9]*\).*/\1/p' "$log")
[ -n "$port" ] || { cat "$log" >&2; exit 1; }
win=""
for _ in $(seq 1 50); do
    win=$(xdotool search --name "msglite dashboard" 2>/dev/null | head -1) && [ -n "$win" ] && break
    sleep 0.2
done
click() { xdotool mousemove --window "$win" "$1" "$2" click 1; sleep 0.3; }
fill() { click "$1" "$2"; xdotool key ctrl+a BackSpace; xdotool type --delay 20 "$3"; }
key() { xdotool key --window "$win" "$1"; sleep 0.8; }
shot() { sleep "${2:-1}"; import -window "$win" "$out/gui-$1.png"; echo "$out/gui-$1.png"; }

# a worker that takes a few jobs and then stays connected
( exec 4<>"/dev/tcp/127.0.0.1/$port"
  for _ in 1 2 3 4 5; do printf '< 30 jobs.build\r\n' >&4; head -c 1 <&4 >/dev/null; done
  sleep 120 ) >/dev/null 2>&1 &
helpers+=($!)

click 600 743           # the status bar: gives the window the keyboard before the first shortcut
key ctrl+4
click 345 53            # Live: Watch (filter *)
( exec 3<>"/dev/tcp/127.0.0.1/$port"
  for i in $(seq 1 30); do printf '> 11 300 jobs.build\r\nbuild #%03d\r\n' "$i" >&3; done
  for i in $(seq 1 80); do
      printf '> 21 300 orders.eu\r\n{"order":%05d,"n":1}\r\n' "$i" >&3
      printf '> 8 300 audit.log\r\nlogin ok\r\n' >&3
      [ $((i % 10)) = 0 ] && printf '> 7 300 jobs.build reply.7\r\nrebuild\r\n' >&3
      sleep 0.1
  done
  sleep 120 ) >/dev/null 2>&1 &
helpers+=($!)
sleep 2
click 300 135           # a message: its detail below the table
shot live 2

key ctrl+1
shot overview 6

key ctrl+2
click 110 111           # first row: peek it
shot addresses 2

key ctrl+3
fill 650 53 "nobody.home"
key Escape              # close the completion list, if any
fill 157 117 "1"
fill 650 190 "is anyone there?"
key ctrl+shift+Return   # Query: times out after 1 s
sleep 2
fill 650 53 "orders.eu"
key Escape
fill 157 117 "60"
fill 650 190 '{"order":99999,"n":2}'
key ctrl+Return         # Send
shot publish 2

key ctrl+5
shot connections 1

key ctrl+d
key ctrl+2
shot addresses-dark 1
