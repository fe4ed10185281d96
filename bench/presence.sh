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

PORTS_NOTE="port 5060, 8111 and 30000-30016 must be free (or pass --port / --ssh-port)"
. "$BENCH/common.sh"
run_bench presence presence.py "$@"
