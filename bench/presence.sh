#!/bin/sh
#
# Confab presence benchmark: (A) one PUBLISH fanned out to N watchers, (B) a login storm of
# resource-list subscriptions. Confab only (no Kamailio), all on 127.0.0.1.
#   bench/presence.sh [--quick] [--no-build] [--only ab] [--watchers 100,1000,10000] [...]
# (bench/presence.py --help lists every option.) Builds the distribution when it is missing or
# older than the sources (as bench/run.sh), then runs presence.py in a network namespace of its
# own (unshare -n: a private loopback, so port 5060 and the load client's fixed ports 30000+ are
# free and /proc/net/snmp counts only this benchmark's UDP drops). Needs JDK 17 and python3.
# Results: the table on stdout and in bench/work/presence-results.md (.json beside it).
#
set -e
BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH")
command -v java >/dev/null 2>&1 || { echo "presence: java (JDK 17) not found" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "presence: python3 not found" >&2; exit 2; }

NOBUILD=""
for a in "$@"; do
    shift
    if [ "$a" = "--no-build" ]; then NOBUILD=1; else set -- "$@" "$a"; fi
done
DIST="$REPO/karaf-dist/target/confab-dist-0.1.0-SNAPSHOT.tar.gz"
if [ -n "$NOBUILD" ] && [ -f "$DIST" ]; then
    echo "presence: --no-build: using $DIST as it is"
elif [ ! -f "$DIST" ] || [ -n "$(cd "$REPO" && find bundles features karaf-dist/src pom.xml -newer "$DIST" -type f 2>/dev/null | head -1)" ]; then
    echo "presence: building the distribution"
    (cd "$REPO" && mvn -B -q install -DskipTests)
fi

mkdir -p "$BENCH/work"
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    exec unshare -n sh -c 'ip link set lo up && exec python3 "$0/presence.py" "$@"' "$BENCH" "$@"
fi
echo "presence: no network namespace (not root or no unshare): using the host's loopback; port 5060, 8111 and 30000-30016 must be free (or pass --port / --ssh-port)"
exec python3 "$BENCH/presence.py" "$@"
