#!/usr/bin/env bash
# Builds target/benchmarks.jar and runs the core comparison benchmarks:
#   1. StringGetSetBenchmark: RedJar GET/SET vs ConcurrentHashMap vs Caffeine, 1M keys, 1 and 2
#      threads, followed by a ratio table (io.redjar.bench.GetSetReport);
#   2. MemoryPerKey: bytes per key for RedJar, CHM, Caffeine and a real redis-server.
# Results go to target/bench/ (getset.txt, getset.json, memory.txt).
#
# Settings are short on purpose (a 2-core, shared machine); override with environment variables:
#   FORKS=1 WI=3 W=2s I=5 R=2s  JMH forks / warmup iterations / warmup time / iterations / time
#   PROF="-prof gc"             JMH profilers (default: allocation per op; PROF= for none)
#   REDIS=/usr/bin/redis-server  (REDIS=none skips Redis)
#   MAVEN_ARGS=-o                (default: offline build; set MAVEN_ARGS= to allow downloads)
#   SKIP_BUILD=1                 reuse target/benchmarks.jar
#   ONLY=getset|memory           run one half
set -euo pipefail
cd "$(dirname "$0")/.."

FORKS=${FORKS:-1}
WI=${WI:-3}
W=${W:-2s}
I=${I:-5}
R=${R:-2s}
PROF=${PROF--prof gc}
REDIS=${REDIS:-/usr/bin/redis-server}
MAVEN_ARGS=${MAVEN_ARGS--o}
ONLY=${ONLY:-all}
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
OUT=target/bench

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    mvn -B -q $MAVEN_ARGS -pl :redjar -Pjmh package -DskipTests -Dredjar.skipDocs
fi
mkdir -p "$OUT"

{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  nproc=$(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -version 2>&1 | head -1
} | tee "$OUT/machine.txt"

if [ "$ONLY" = all ] || [ "$ONLY" = getset ]; then
    # Thread counts come from @Threads on each method (get1T, get2T, set1T, set2T): do not pass -t.
    # The forked JVMs get --add-exports from @Fork(jvmArgsAppend); if you pass -jvmArgsAppend
    # yourself it replaces that list, so include the flag in it.
    # shellcheck disable=SC2086
    java $FLAGS -cp target/benchmarks.jar io.redjar.bench.GetSetReport StringGetSetBenchmark \
        -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" $PROF \
        -rf json -rff "$OUT/getset.json" 2>&1 | tee "$OUT/getset.txt"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = memory ]; then
    if [ "$REDIS" = none ]; then REDIS_ARG=--no-redis; else REDIS_ARG="--redis=$REDIS"; fi
    # shellcheck disable=SC2086
    java $FLAGS -Xms2g -Xmx2g -cp target/benchmarks.jar io.redjar.bench.MemoryPerKey 1000000 "$REDIS_ARG" \
        | tee "$OUT/memory.txt"
    echo
    echo "Same, with 2 MiB G1 regions (the key tables' 512 KiB long[] arrays are then not humongous):"
    # shellcheck disable=SC2086
    java $FLAGS -Xms2g -Xmx2g -XX:G1HeapRegionSize=2m -cp target/benchmarks.jar io.redjar.bench.MemoryPerKey 1000000 --no-redis \
        | tee "$OUT/memory-2m-regions.txt"
fi
