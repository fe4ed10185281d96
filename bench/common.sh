# What bench/run.sh and bench/presence.sh share; sourced (with BENCH and REPO set), not run.
#
# run_bench LABEL SCRIPT.py [args...]: builds the distribution when it is missing or older than the
# sources (unless --no-build is among the args), then runs SCRIPT.py in a network namespace of its
# own when root can make one (a private loopback: the fixed ports are free and /proc/net/snmp counts
# only the benchmark's UDP drops), else on the host's loopback. Set PORTS_NOTE to the ports that
# must then be free.
run_bench() {
    label=$1
    script=$2
    shift 2
    nobuild=""
    for a in "$@"; do
        shift
        if [ "$a" = "--no-build" ]; then nobuild=1; else set -- "$@" "$a"; fi
    done
    dist="$REPO/karaf-dist/target/confab-dist-0.1.0-SNAPSHOT.tar.gz"
    if [ -n "$nobuild" ] && [ -f "$dist" ]; then
        echo "$label: --no-build: using $dist as it is"
    elif [ ! -f "$dist" ] || [ -n "$(cd "$REPO" && find bundles features karaf-dist/src pom.xml -newer "$dist" -type f 2>/dev/null | head -1)" ]; then
        echo "$label: building the distribution"
        (cd "$REPO" && mvn -B -q install -DskipTests)
    fi
    mkdir -p "$BENCH/work"
    if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
        exec unshare -n sh -c 'ip link set lo up && exec python3 "$0" "$@"' "$BENCH/$script" "$@"
    fi
    echo "$label: no network namespace (not root or no unshare): using the host's loopback; $PORTS_NOTE"
    exec python3 "$BENCH/$script" "$@"
}
