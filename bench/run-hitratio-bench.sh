#!/usr/bin/env bash
# Eviction hit ratios (issue 12; docs/benchmarks.md, "Eviction hit ratios (issue 12)"). In one run,
# ROUNDS times, every trace is replayed as a read-through cache (GET; on a miss SET with a VALUE-byte
# value, with EX for the volatile-* policies) against redis-server and RedJar's RESP server, for
# every maxmemory-policy (Redis's eight on both, plus RedJar's allkeys-/volatile-wtinylfu):
#   mem   the SAME maxmemory on both: what redis-server's used_memory shows holding FRACTION of the
#         trace's keys (its ~0.9 MB baseline included);
#   keys  RedJar's maxmemory scaled so it holds as many keys as redis-server kept resident under the
#         matching policy: policy quality at equal capacity.
# Prints every round's hit ratios and their medians (lib.sh's summarize), then the table: trace x
# policy, hit % and resident keys per server, best RedJar vs best redis-server per trace.
# Driver and traces: src/test/java/io/redjar/hitratio (HitRatioBench, Traces, Replayer).
#
# Works on a fresh clone: builds with Maven (online unless MAVEN_ARGS=-o) and installs
# redis-server / redis-tools with apt-get when missing.
#
# Environment (defaults in brackets):
#   ROUNDS [3]  SCALE [0.5] (generated traces: SCALE x 100k-key universe, SCALE x 500k requests)
#   TRACES [zipf0.8 zipf0.99 scan loop web07 web12]  FRACTION [0.1]  WARMUP [0.2]  VALUE [100]
#   POLICIES [Redis's eight]  EXTRA [allkeys-wtinylfu,volatile-wtinylfu]  SEED [12]
#   MAVEN_ARGS []  SKIP_BUILD [0]  PORT_RJ, PORT_REDIS [first free from 17611]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-0.5}
TRACES=${TRACES:-zipf0.8 zipf0.99 scan loop web07 web12}
MAVEN_ARGS=${MAVEN_ARGS:-}
PROPS=(-Dscale="$SCALE" -Dfraction="${FRACTION:-0.1}" -Dwarmup="${WARMUP:-0.2}" -Dvalue="${VALUE:-100}"
       -Dseed="${SEED:-12}" -Dextra="${EXTRA-allkeys-wtinylfu,volatile-wtinylfu}")
if [ -n "${POLICIES:-}" ]; then PROPS+=(-Dpolicies="$POLICIES"); fi
OUT=target/bench/hitratio
# shellcheck source=bench/lib.sh
. bench/lib.sh

# free_port FROM: the first port from FROM on that nothing listens on
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}

ensure_redis
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the core (with the test classes: the driver) and the RESP server jar"
    # shellcheck disable=SC2086
    mvn -B -q $MAVEN_ARGS install -DskipTests
    # shellcheck disable=SC2086
    mvn -B -q $MAVEN_ARGS -f resp/pom.xml package -DskipTests
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.txt
: > "$RESULTS"
PORT_RJ=${PORT_RJ:-$(free_port 17611)}
PORT_REDIS=${PORT_REDIS:-$(free_port $((PORT_RJ + 1)))}

{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    java -version 2>&1 | head -1
    "$REDIS_BIN" --version
    echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')  rounds $ROUNDS  scale $SCALE  traces: $TRACES"
    echo "# load at start: $(uptime)"
} | tee "$OUT/machine.txt"

start_pair

for round in $(seq 1 "$ROUNDS"); do
    for trace in $TRACES; do
        log "round $round: $trace"
        java -cp target/test-classes:target/classes "${PROPS[@]}" -Dtrace="$trace" -Dround="$round" \
            -Dredis="$PORT_REDIS" -Dredjar="$PORT_RJ" io.redjar.hitratio.HitRatioBench \
            >> "$RESULTS" 2> >(tee -a "$OUT/progress.log" >&2)
    done
done
stop_servers "$PORT_RJ" "$PORT_REDIS"
echo "# load at end: $(uptime)" | tee -a "$OUT/machine.txt"

echo
echo "hit ratio per round and median (hit <trace>/<server>/<policy>/<pass: mem = same maxmemory, keys = same resident keys>)"
grep '^hit ' "$RESULTS" > "$OUT/hits.txt" || true
summarize "$OUT/hits.txt" 4
java -cp target/test-classes io.redjar.hitratio.HitRatioReport "$RESULTS" | tee "$OUT/table.txt"
