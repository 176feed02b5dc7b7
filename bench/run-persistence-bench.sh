#!/usr/bin/env bash
# Persistence benchmark (issue 10; docs/benchmarks.md, "Persistence"). In the same run, ROUNDS
# times, RedJar's RESP server against redis-server with the same settings:
#   set    redis-benchmark SET throughput with persistence off, appendonly yes with appendfsync
#          no / everysec / always (each server in its own fresh directory, order alternating);
#   rdb    a data set of KEYS string keys (DEBUG POPULATE): the time SAVE takes, then the load time
#          at start-up (each server's own log line: RedJar "Done loading RDB ... (x seconds)",
#          redis-server "DB loaded from disk: x seconds");
#   pause  (RedJar only, in-process) SnapshotPause: SET latency without and during BGSAVEs.
# Then prints every round, the medians, the ratios and the load average.
#
# Works on a fresh clone: builds with Maven (online unless MAVEN_ARGS=-o) and installs
# redis-server / redis-tools with apt-get when missing.
#
# Environment (defaults in brackets):
#   ROUNDS [3]  ONLY [all|set|rdb|pause]  MAVEN_ARGS []  SKIP_BUILD [0]
#   N [200000] CLIENTS [50] KEYS [10000000] PAUSE_KEYS [1000000] PORT_RJ [17591] PORT_REDIS [17592]
#   WORK [target/bench/persistence/work]: where the data directories go (use a real disk)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-all}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-10000000}
PAUSE_KEYS=${PAUSE_KEYS:-1000000}
PORT_RJ=${PORT_RJ:-17591}
PORT_REDIS=${PORT_REDIS:-17592}
MAVEN_ARGS=${MAVEN_ARGS:-}
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
OUT=target/bench/persistence
WORK=${WORK:-$OUT/work}
# shellcheck source=bench/lib.sh
. bench/lib.sh
ensure_redis
build_all
mkdir -p "$OUT" "$WORK"
WORK=$(cd "$WORK" && pwd)
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.txt
: > "$RESULTS"


# start_rj DIR LOG ARGS...: RedJar's server in DIR
start_rj() {
    local dir=$1 logf=$2
    shift 2
    java -jar resp/target/redjar-server.jar --port "$PORT_RJ" --dir "$dir" --enable-debug-command local "$@" > "$logf" 2>&1 &
    PIDS+=($!)
    wait_port "$PORT_RJ"
}

start_redis() {
    local dir=$1 logf=$2
    shift 2
    "$REDIS_BIN" --port "$PORT_REDIS" --bind 127.0.0.1 --dir "$dir" --save '' --enable-debug-command local --daemonize no --logfile "$logf" "$@" > /dev/null 2>&1 &
    PIDS+=($!)
    wait_port "$PORT_REDIS"
}

stop_all() { stop_servers "$PORT_RJ" "$PORT_REDIS"; }

# one redis-benchmark SET run against port $1 (after a warm-up of N/5); prints requests per second
bench_set() {
    redis-benchmark -p "$1" -c "$CLIENTS" -n "$(( N / 5 ))" -r 1000000 -d 16 -t set >/dev/null 2>&1 || true
    redis-benchmark -p "$1" -c "$CLIENTS" -n "$N" -r 1000000 -d 16 --csv -t set 2>/dev/null \
        | tail -n 1 | awk -F'","' '{ gsub(/"/, "", $2); print $2 }'
}

# persistence settings per mode (the same for both servers)
mode_args() {
    case $1 in
        off) echo "--appendonly no" ;;
        aof-no) echo "--appendonly yes --appendfsync no" ;;
        aof-everysec) echo "--appendonly yes --appendfsync everysec" ;;
        aof-always) echo "--appendonly yes --appendfsync always" ;;
    esac
}

secs() { date +%s.%N; }

{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    java -version 2>&1 | head -1
    "$REDIS_BIN" --version
    df -h "$WORK" | tail -1 | awk '{ print "# data directories on " $1 " (" $2 ")" }'
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

for round in $(seq 1 "$ROUNDS"); do
    if want set; then
        for mode in off aof-no aof-everysec aof-always; do
            log "round $round: SET, $mode"
            rm -rf "$WORK/rj" "$WORK/redis" && mkdir -p "$WORK/rj" "$WORK/redis"
            # shellcheck disable=SC2046
            start_rj "$WORK/rj" "$OUT/rj-$mode.log" $(mode_args "$mode")
            # shellcheck disable=SC2046
            start_redis "$WORK/redis" "$OUT/redis-$mode.log" $(mode_args "$mode")
            if [ $(( round % 2 )) = 1 ]; then
                rj=$(bench_set "$PORT_RJ"); rd=$(bench_set "$PORT_REDIS")
            else
                rd=$(bench_set "$PORT_REDIS"); rj=$(bench_set "$PORT_RJ")
            fi
            echo "set redjar:$mode $round $rj" >> "$RESULTS"
            echo "set redis:$mode $round $rd" >> "$RESULTS"
            stop_all
        done
    fi
    if want rdb; then
        for who in redjar redis; do
            log "round $round: RDB $KEYS keys, $who"
            rm -rf "$WORK/$who" && mkdir -p "$WORK/$who"
            if [ $who = redjar ]; then start_rj "$WORK/$who" "$OUT/rdb-$who-1.log"; port=$PORT_RJ
            else start_redis "$WORK/$who" "$OUT/rdb-$who-1.log"; port=$PORT_REDIS; fi
            redis-cli -p "$port" debug populate "$KEYS" >/dev/null
            t0=$(secs); redis-cli -p "$port" save >/dev/null; t1=$(secs)
            echo "rdb save:$who $round $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" >> "$RESULTS"
            ls -l "$WORK/$who/dump.rdb" | awk -v w=$who '{ print "# dump size " w ": " $5 }' >> "$OUT/machine.txt"
            stop_all
            if [ $who = redjar ]; then
                start_rj "$WORK/$who" "$OUT/rdb-$who-2.log"
                secs_loaded=$(sed -n 's/.*Done loading RDB.*(\([0-9.]*\) seconds).*/\1/p' "$OUT/rdb-$who-2.log" | tail -1)
            else
                start_redis "$WORK/$who" "$OUT/rdb-$who-2.log"
                secs_loaded=$(sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' "$OUT/rdb-$who-2.log" | tail -1)
            fi
            echo "rdb load:$who $round ${secs_loaded:-nan}" >> "$RESULTS"
            stop_all
        done
    fi
done
if want pause; then
    log "SET latency during BGSAVE ($PAUSE_KEYS keys, in-process)"
    rm -rf "$WORK/pause"
    java $FLAGS -cp target/benchmarks.jar io.redjar.bench.SnapshotPause "$PAUSE_KEYS" 5 "$WORK/pause" 2>/dev/null \
        | tee "$OUT/pause.txt"
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo
echo "set: redis-benchmark SET requests per second (-c $CLIENTS -d 16); rdb: seconds"
summarize "$RESULTS" 3 \
    "RedJar everysec / RedJar off (goal >= 0.9)|set redjar:aof-everysec|set redjar:off" \
    "RedJar always / redis-server always (goal >= 2)|set redjar:aof-always|set redis:aof-always" \
    "RedJar off / redis-server off|set redjar:off|set redis:off" \
    "RedJar everysec / redis-server everysec|set redjar:aof-everysec|set redis:aof-everysec" \
    "RedJar no / redis-server no|set redjar:aof-no|set redis:aof-no" \
    "SAVE time RedJar / redis-server|rdb save:redjar|rdb save:redis" \
    "load time RedJar / redis-server (goal <= 1.0)|rdb load:redjar|rdb load:redis" \
    | tee "$OUT/summary.txt"
