#!/usr/bin/env bash
# Runs the Python client and WSGI handler tests (unittest) against a real daemon, which the
# tests start themselves from server/target/msglite-server.jar. Debian's /usr/bin/python3 is
# used because Debian's python3-flask installs for it. As root, missing Debian packages are
# installed; otherwise the exact install command is printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$root/server/target/msglite-server.jar"
python=/usr/bin/python3

missing=()
if [ ! -x "$python" ]; then
  missing+=(python3 python3-flask)
elif ! "$python" -c 'import flask' 2>/dev/null; then
  missing+=(python3-flask)
fi
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "clients-python: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "clients-python: missing ${missing[*]}; install with:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

if [ ! -f "$jar" ]; then
  echo "clients-python: $jar is missing; build the daemon first:"
  echo "  (cd $root && mvn -q -DskipTests -pl server -am package)"
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cd "$here"
echo "== Python: client and WSGI handler ($("$python" --version)) =="
set +e
PYTHONPATH="$here" PYTHONDONTWRITEBYTECODE=1 "$python" -m unittest discover -s tests -t . "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
ran="$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$log" | tail -n 1)"
failed="$(awk '/^FAILED \(/ { while (match($0, /(failures|errors)=[0-9]+/)) {
  s = substr($0, RSTART, RLENGTH); sub(/.*=/, "", s); n += s; $0 = substr($0, RSTART + RLENGTH) } }
  END { print n + 0 }' "$log")"
if [ -n "$ran" ]; then
  echo "$((ran - failed)) passed, $failed failed"
fi
exit "$status"
