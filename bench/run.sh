#!/bin/sh
#
# Confab against Kamailio on this machine, one server after the other, all on 127.0.0.1.
#   bench/run.sh [--quick] [--runs N] [--only abcdef] [--endpoints N] [--no-build]
# Installs what is missing (Debian: kamailio, kamailio-presence-modules, sip-tester; needs root),
# builds the distribution when it is missing or older than the sources, then runs bench.py in a
# network namespace of its own (unshare -n: a private loopback, so Kamailio's fixed port 5060
# and Confab's never meet another program's). Kamailio uses ../shared/bench/kamailio/kamailio.cfg
# unchanged. Results: the table on stdout and in bench/work/results.md.
#
set -e
BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH")
KAMCFG="$(dirname "$REPO")/shared/bench/kamailio/kamailio.cfg"
[ -f "$KAMCFG" ] || { echo "bench: $KAMCFG not found (the shared folder is a sibling of the repository)" >&2; exit 2; }

missing=""
command -v kamailio >/dev/null 2>&1 || missing="$missing kamailio"
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/presence.so ] || ls /usr/lib/*/kamailio/modules/presence.so >/dev/null 2>&1 \
    || missing="$missing kamailio-presence-modules"
command -v sipp >/dev/null 2>&1 || missing="$missing sip-tester"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
if [ -n "$missing" ]; then
    echo "bench: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y $missing >/dev/null || { apt-get update >/dev/null && apt-get install -y $missing >/dev/null; }
    # the package starts a system Kamailio when systemd runs; the benchmark runs its own
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet kamailio 2>/dev/null; then
        echo "bench: note: a system kamailio service is running; the benchmark's own runs in a separate namespace"
    fi
fi

NOBUILD=""
for a in "$@"; do
    shift
    if [ "$a" = "--no-build" ]; then NOBUILD=1; else set -- "$@" "$a"; fi
done
DIST="$REPO/karaf-dist/target/confab-dist-0.1.0-SNAPSHOT.tar.gz"
if [ -n "$NOBUILD" ] && [ -f "$DIST" ]; then
    echo "bench: --no-build: using $DIST as it is"
elif [ ! -f "$DIST" ] || [ -n "$(cd "$REPO" && find bundles features karaf-dist/src pom.xml -newer "$DIST" -type f 2>/dev/null | head -1)" ]; then
    echo "bench: building the distribution"
    (cd "$REPO" && mvn -B -q install -DskipTests)
fi

mkdir -p "$BENCH/work"
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    exec unshare -n sh -c 'ip link set lo up && exec python3 "$0/bench.py" "$@"' "$BENCH" "$@"
fi
echo "bench: no network namespace (not root or no unshare): using the host's loopback; ports 5060 and 8111 must be free"
exec python3 "$BENCH/bench.py" "$@"
