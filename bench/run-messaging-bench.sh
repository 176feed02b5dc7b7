#!/usr/bin/env bash
# Messaging benchmark (issue 11; docs/benchmarks.md, "Messaging"). In the same run, ROUNDS times,
# the same client (io.redjar.bench.MessagingBench: raw sockets, one selector thread reading the
# subscribers) against RedJar's RESP server and redis-server, plus the same workload in-process:
#   fanout  PUBLISH to SUBSCRIBERS subscribers of one channel, MESSAGES 32-byte messages pipelined
#           PIPELINE at a time; deliveries per second until every subscriber has every message;
#   xadd    XADD s * f <16 bytes> from CLIENTS connections, -P 16; entries per second;
#   xgroup  ENTRIES pre-filled entries, CLIENTS consumers loop XREADGROUP COUNT 100 + XACK;
#           entries read and acknowledged per second.
# Then prints every round, the medians, the ratios and the load average.
#
# Works on a fresh clone: builds with Maven (online unless MAVEN_ARGS=-o) and installs
# redis-server / redis-tools with apt-get when missing.
#
# Environment (defaults in brackets):
#   ROUNDS [3]  ONLY [all|fanout|xadd|xgroup]  MAVEN_ARGS []  SKIP_BUILD [0]
#   SUBSCRIBERS [100] MESSAGES [20000] PIPELINE [32] CLIENTS [4] ENTRIES [400000]
#   PORT_RJ [17593] PORT_REDIS [17594]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-all}
PORT_RJ=${PORT_RJ:-17593}
PORT_REDIS=${PORT_REDIS:-17594}
MAVEN_ARGS=${MAVEN_ARGS:-}
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
PROPS="-DSUBSCRIBERS=${SUBSCRIBERS:-100} -DMESSAGES=${MESSAGES:-20000} -DPIPELINE=${PIPELINE:-32} -DCLIENTS=${CLIENTS:-4} -DENTRIES=${ENTRIES:-400000}"
OUT=target/bench/messaging
# shellcheck source=bench/lib.sh
. bench/lib.sh
ensure_redis
build_all
bench_setup

# run SCENARIO TARGET NAME ROUND: one measurement, appended to RESULTS
run() { bench_run MessagingBench "$@"; }

start_pair
for round in $(seq 1 "$ROUNDS"); do
    for scenario in fanout xadd xgroup; do
        want "$scenario" || continue
        if [ $(( round % 2 )) = 1 ]; then
            run "$scenario" "port:$PORT_RJ" redjar "$round"; run "$scenario" "port:$PORT_REDIS" redis "$round"
        else
            run "$scenario" "port:$PORT_REDIS" redis "$round"; run "$scenario" "port:$PORT_RJ" redjar "$round"
        fi
        run "$scenario" inproc inproc "$round"
        redis-cli -p "$PORT_RJ" flushall >/dev/null; redis-cli -p "$PORT_REDIS" flushall >/dev/null
    done
done
stop_servers "$PORT_RJ" "$PORT_REDIS"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo
echo "fanout: deliveries/s ($(echo "$PROPS" | tr ' ' '\n' | grep -E 'SUBSCRIBERS|MESSAGES' | tr '\n' ' ')); xadd, xgroup: entries/s"
summarize "$RESULTS" 0 \
    "PUBLISH fan-out: RedJar RESP / redis-server|fanout redjar|fanout redis" \
    "PUBLISH fan-out: in-process / redis-server|fanout inproc|fanout redis" \
    "XADD: RedJar RESP / redis-server|xadd redjar|xadd redis" \
    "XADD: in-process / redis-server|xadd inproc|xadd redis" \
    "XREADGROUP+XACK: RedJar RESP / redis-server|xgroup redjar|xgroup redis" \
    "XREADGROUP+XACK: in-process / redis-server|xgroup inproc|xgroup redis" \
    | tee "$OUT/summary.txt"
