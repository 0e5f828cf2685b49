#!/usr/bin/env bash
# Runs the Ruby client and Rack handler tests (minitest) against the real daemon, which must
# be built already. Installs the Debian packages the tests need when run as root; otherwise
# prints the command that would.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for pkg in ruby ruby-rack ruby-sinatra ruby-minitest; do installed "$pkg" || missing+=("$pkg"); done
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "clients-ruby: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "clients-ruby: missing ${missing[*]}; install with:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

jar="$root/server/target/msglite-server.jar"
if [ ! -f "$jar" ]; then
  echo "clients-ruby: the daemon is not built ($jar missing); build it with:"
  echo "  (cd $root && mvn -q -DskipTests -pl server package)"
  exit 1
fi

cd "$here"
# Debian's Ruby and gems: /usr/bin/ruby, whatever ruby comes first on PATH.
exec /usr/bin/ruby -I lib -I test -e 'files = ARGV.dup; ARGV.clear; files.each { |f| require File.expand_path(f) }' test/*_test.rb
