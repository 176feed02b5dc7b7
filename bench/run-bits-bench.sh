#!/usr/bin/env bash
# Bitmaps, HyperLogLog and GEO benchmark (issue 12; docs/benchmarks.md, "Bitmaps, HyperLogLog, GEO
# (issue 12)"). In the same run, ROUNDS times, the same client (io.redjar.bench.BitsBench: one
# connection, raw sockets) against RedJar's RESP server and redis-server, plus the same commands
# in-process through Store.execute:
#   bitcount   BITCOUNT of a 64 MB bitmap (random bytes), OPS times; GB counted per second;
#   bitop      BITOP AND of two 64 MB bitmaps, OPS times; GB of result per second;
#   pfadd      PFADD of 100 new elements per call, pipelined; elements per second;
#   pfcount    PFCOUNT of three dense HLLs (a union), pipelined; calls per second;
#   geosearch  GEOSEARCH BYRADIUS 5 km COUNT 10 ASC in a set of MEMBERS (1M) positions; queries/s.
# Then prints every round, the medians, the ratios and the load average.
#
# Works on a fresh clone: builds with Maven (online unless MAVEN_ARGS=-o) and installs
# redis-server / redis-tools with apt-get when missing.
#
# Environment (defaults in brackets):
#   ROUNDS [3]  ONLY [all|bitcount|bitop|pfadd|pfcount|geosearch]  MAVEN_ARGS []  SKIP_BUILD [0]
#   OPS [per scenario]  ELEMENTS [2000000]  QUERIES [20000]  MEMBERS [1000000]  PIPELINE [16]
#   PORT_RJ [17595] PORT_REDIS [17596]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-all}
PORT_RJ=${PORT_RJ:-17595}
PORT_REDIS=${PORT_REDIS:-17596}
MAVEN_ARGS=${MAVEN_ARGS:-}
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
PROPS="-DELEMENTS=${ELEMENTS:-2000000} -DQUERIES=${QUERIES:-20000} -DMEMBERS=${MEMBERS:-1000000} -DPIPELINE=${PIPELINE:-16}"
if [ -n "${OPS:-}" ]; then PROPS="$PROPS -DOPS=$OPS"; fi
OUT=target/bench/bits
# shellcheck source=bench/lib.sh
. bench/lib.sh
ensure_redis
build_all
bench_setup

# run SCENARIO TARGET NAME ROUND: one measurement, appended to RESULTS
run() { bench_run BitsBench "$@"; }

start_pair
for round in $(seq 1 "$ROUNDS"); do
    for scenario in bitcount bitop pfadd pfcount geosearch; do
        want "$scenario" || continue
        if [ $(( round % 2 )) = 1 ]; then
            run "$scenario" "port:$PORT_RJ" redjar "$round"; run "$scenario" "port:$PORT_REDIS" redis "$round"
        else
            run "$scenario" "port:$PORT_REDIS" redis "$round"; run "$scenario" "port:$PORT_RJ" redjar "$round"
        fi
        run "$scenario" inproc inproc "$round"
    done
done
stop_servers "$PORT_RJ" "$PORT_REDIS"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo
echo "bitcount, bitop: GB/s; pfadd: elements/s; pfcount, geosearch: calls/s ($PROPS)"
summarize "$RESULTS" 3 \
    "BITCOUNT 64 MB: RedJar RESP / redis-server|bitcount redjar|bitcount redis" \
    "BITCOUNT 64 MB: in-process / redis-server|bitcount inproc|bitcount redis" \
    "BITOP AND 2 x 64 MB: RedJar RESP / redis-server|bitop redjar|bitop redis" \
    "BITOP AND 2 x 64 MB: in-process / redis-server|bitop inproc|bitop redis" \
    "PFADD: RedJar RESP / redis-server|pfadd redjar|pfadd redis" \
    "PFADD: in-process / redis-server|pfadd inproc|pfadd redis" \
    "PFCOUNT (3-key union): RedJar RESP / redis-server|pfcount redjar|pfcount redis" \
    "PFCOUNT (3-key union): in-process / redis-server|pfcount inproc|pfcount redis" \
    "GEOSEARCH 1M members: RedJar RESP / redis-server|geosearch redjar|geosearch redis" \
    "GEOSEARCH 1M members: in-process / redis-server|geosearch inproc|geosearch redis" \
    | tee "$OUT/summary.txt"
