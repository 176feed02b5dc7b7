#!/usr/bin/env bash
# Scripts benchmark (issue 9; docs/benchmarks.md, "Scripts (issue 9)"). One 5-command script
# (INCR, HSET, LPUSH, LTRIM, ZADD over 4 keys; src/jmh/java/io/redjar/bench/ScriptWorkload.java)
# measured, in the same run, ROUNDS times:
#   jmh   ScriptBenchmark, one thread: EVALSHA through an in-process Session (evalsha), the same
#         logic as a Java lambda (atomically: Store.atomically; multi: Store.multi), and EVALSHA
#         with Jedis to a redis-server on loopback (redis);
#         AtomicallyBenchmark, two threads on disjoint keys: Store.atomically (declared shards)
#         vs Store.multi (every shard);
#   resp  redis-benchmark EVALSHA against RedJar's RESP server and against redis-server (same
#         client, same script, same machine, the order alternating every round);
#   cpu   (once, after the rounds) ScriptCpuTime: the calling thread's CPU time per call of
#         atomically / multi / in-process EVALSHA, interleaved: steadier than throughput when the
#         machine is loaded.
# Then prints every round, the medians, the ratios and the load average.
#
# Works on a fresh clone: builds with Maven (online unless MAVEN_ARGS=-o) and installs
# redis-server / redis-tools with apt-get when missing.
#
# Environment (defaults in brackets):
#   ROUNDS [3]  ONLY [all|jmh|resp|cpu]  MAVEN_ARGS []  SKIP_BUILD [0]
#   JMH: FORKS [1] WI [2] W [1s] I [3] R [1s]
#   RESP: N [100000] CLIENTS [50] PIPELINE [1] PORT_RJ [17491] PORT_REDIS [17492]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-all}
FORKS=${FORKS:-1}
WI=${WI:-2}
W=${W:-1s}
I=${I:-3}
R=${R:-1s}
N=${N:-100000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-1}
PORT_RJ=${PORT_RJ:-17491}
PORT_REDIS=${PORT_REDIS:-17492}
MAVEN_ARGS=${MAVEN_ARGS:-}
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
OUT=target/bench/scripts
# shellcheck source=bench/lib.sh
. bench/lib.sh
ensure_redis
build_all
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"

SCRIPT="local n = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], 'last', n)
redis.call('LPUSH', KEYS[3], n)
redis.call('LTRIM', KEYS[3], 0, 9)
redis.call('ZADD', KEYS[4], n, ARGV[1])
return n
"


# one redis-benchmark EVALSHA run against port $1; prints requests per second
bench_port() {
    local port=$1 sha
    sha=$(redis-cli -p "$port" script load "$SCRIPT")
    redis-benchmark -p "$port" -c "$CLIENTS" -n "$(( N / 5 ))" -r 1000 -P "$PIPELINE" \
        EVALSHA "$sha" 4 count:__rand_int__ meta:__rand_int__ recent:__rand_int__ board u__rand_int__ >/dev/null 2>&1 || true
    redis-benchmark -p "$port" -c "$CLIENTS" -n "$N" -r 1000 -P "$PIPELINE" --csv \
        EVALSHA "$sha" 4 count:__rand_int__ meta:__rand_int__ recent:__rand_int__ board u__rand_int__ 2>/dev/null \
        | tail -n 1 | awk -F'","' '{ gsub(/"/, "", $2); print $2 }'
}

{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    java -version 2>&1 | head -1
    "$REDIS_BIN" --version
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

for round in $(seq 1 "$ROUNDS"); do
    if want jmh; then
        log "round $round: jmh"
        REDJAR_BENCH_REDIS="$REDIS_BIN" java $FLAGS -jar target/benchmarks.jar 'bench\.(ScriptBenchmark|AtomicallyBenchmark)\.' \
            -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -rf csv -rff "$OUT/jmh-$round.csv" > "$OUT/jmh-$round.txt" 2>&1
        tail -n +2 "$OUT/jmh-$round.csv" | awk -F',' -v round="$round" '{
            name = $1; gsub(/"/, "", name); split(name, parts, "."); bm = parts[length(parts) - 1]
            impl = $NF; gsub(/["\r]/, "", impl)
            printf "jmh %s:%s %d %s\n", bm, impl, round, $5
        }' >> "$RESULTS"
    fi
    if want resp; then
        log "round $round: resp"
        java -jar resp/target/redjar-server.jar --port "$PORT_RJ" > "$OUT/redjar-server.log" 2>&1 &
        PIDS+=($!)
        "$REDIS_BIN" --port "$PORT_REDIS" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile '' > /dev/null 2>&1 &
        PIDS+=($!)
        wait_port "$PORT_RJ"
        wait_port "$PORT_REDIS"
        if [ $(( round % 2 )) = 1 ]; then
            rj=$(bench_port "$PORT_RJ"); rd=$(bench_port "$PORT_REDIS")
        else
            rd=$(bench_port "$PORT_REDIS"); rj=$(bench_port "$PORT_RJ")
        fi
        echo "resp redjar-server $round $rj" >> "$RESULTS"
        echo "resp redis-server $round $rd" >> "$RESULTS"
        redis-cli -p "$PORT_RJ" shutdown nosave >/dev/null 2>&1 || true
        redis-cli -p "$PORT_REDIS" shutdown nosave >/dev/null 2>&1 || true
        cleanup
        PIDS=()
        sleep 0.5
    fi
done
if want jmh || [ "$ONLY" = cpu ]; then
    log "cpu time per call (in-process)"
    java $FLAGS -cp target/benchmarks.jar io.redjar.bench.ScriptCpuTime 50000 7 > "$OUT/cpu.txt" 2>&1
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo
echo "ops/s (jmh: operations per second over all threads; resp: redis-benchmark requests per second, -c $CLIENTS -P $PIPELINE)"
summarize "$RESULTS" 0 \
    "in-process EVALSHA / redis-server EVALSHA (Jedis)|jmh ScriptBenchmark:evalsha|jmh ScriptBenchmark:redis" \
    "atomically lambda / in-process EVALSHA|jmh ScriptBenchmark:atomically|jmh ScriptBenchmark:evalsha" \
    "atomically lambda / redis-server EVALSHA (Jedis)|jmh ScriptBenchmark:atomically|jmh ScriptBenchmark:redis" \
    "atomically / multi, 1 thread|jmh ScriptBenchmark:atomically|jmh ScriptBenchmark:multi" \
    "atomically / multi, 2 threads, disjoint keys|jmh AtomicallyBenchmark:atomically|jmh AtomicallyBenchmark:multi" \
    "RESP: redjar-server / redis-server (redis-benchmark)|resp redjar-server|resp redis-server" \
    | tee "$OUT/summary.txt"
if [ -f "$OUT/cpu.txt" ]; then
    echo
    grep '^median' "$OUT/cpu.txt" | tee -a "$OUT/summary.txt"
fi
