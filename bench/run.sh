#!/bin/sh
#
# Confab against Kamailio on this machine, one server after the other, all on 127.0.0.1.
#   bench/run.sh [--quick] [--runs N] [--only abcdef] [--endpoints N] [--no-build]
# Installs what is missing (Debian: kamailio, kamailio-presence-modules, sip-tester, tcpdump; needs root),
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
command -v tcpdump >/dev/null 2>&1 || missing="$missing tcpdump"
if [ -n "$missing" ]; then
    echo "bench: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y $missing >/dev/null || { apt-get update >/dev/null && apt-get install -y $missing >/dev/null; }
    # the package starts a system Kamailio when systemd runs; the benchmark runs its own
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet kamailio 2>/dev/null; then
        echo "bench: note: a system kamailio service is running; the benchmark's own runs in a separate namespace"
    fi
fi

PORTS_NOTE="ports 5060 and 8111 must be free"
. "$BENCH/common.sh"
run_bench bench bench.py "$@"
