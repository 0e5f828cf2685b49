#!/usr/bin/env bash
# Runs the Perl client and PSGI handler tests (prove) against the real daemon.
# Installs the Debian packages they need when run as root; otherwise names them and stops.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

# Debian packages: Plack (plackup, Plack::Test::Suite with Test::TCP), Dancer2 (the framework
# app), JSON::XS (fast envelopes; JSON::PP is the fallback), Test::Pod and Pod::Coverage.
packages=(libplack-perl libtest-tcp-perl libdancer2-perl libjson-xs-perl libtest-pod-perl libpod-coverage-perl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "clients-perl: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "clients-perl: missing Debian packages; install with:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

jar="$root/server/target/msglite-server.jar"
if [ ! -f "$jar" ]; then
  echo "clients-perl: $jar is missing; build the daemon first:"
  echo "  (cd $root && mvn -q -DskipTests -pl server package)"
  exit 1
fi

cd "$here"
exec /usr/bin/prove t/
