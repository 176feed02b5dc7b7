#!/usr/bin/env bash
# Builds target/benchmarks.jar and runs the collection benchmarks (docs/benchmarks.md, "Collections"):
#   1. ZSetBenchmark, HashBenchmark, ListBenchmark, SetBenchmark at 1M elements: RedJar (in-process
#      ops classes) vs a plain Java model vs Jedis -> redis-server on loopback, followed by a ratio
#      table (io.redjar.bench.CollectionsReport);
#   2. CollectionMemory: bytes per element of a 1M zset / hash / list / set, RedJar vs Redis
#      MEMORY USAGE.
# Results go to target/bench/ (collections.txt, collections.json, collections-memory.txt).
#
# Short settings on purpose (2 shared cores): 1 fork, 2 x 1 s warmup, 3 x 1 s measurement.
# Override with environment variables:
#   FORKS=1 WI=2 W=1s I=3 R=1s   JMH forks / warmup iterations / warmup time / iterations / time
#   REDIS=/usr/bin/redis-server  (REDIS=none skips the Redis trials and Redis memory)
#   MAVEN_ARGS=-o  SKIP_BUILD=1  ONLY=ops|memory
set -euo pipefail
cd "$(dirname "$0")/.."

FORKS=${FORKS:-1}
WI=${WI:-2}
W=${W:-1s}
I=${I:-3}
R=${R:-1s}
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
    if [ "$REDIS" != none ]; then "$REDIS" --version 2>/dev/null || echo "redis-server: $REDIS not found"; fi
} | tee "$OUT/collections-machine.txt"

IMPLS=redjar,model,redis
MEMARG=
if [ "$REDIS" = none ]; then
    IMPLS=redjar,model
    MEMARG=--no-redis
else
    export REDJAR_BENCH_REDIS="$REDIS"   # inherited by the forked JVMs
fi

if [ "$ONLY" = all ] || [ "$ONLY" = ops ]; then
    java $FLAGS -cp target/benchmarks.jar io.redjar.bench.CollectionsReport \
        'bench\.(ZSet|Hash|List|Set)Benchmark\.' -p impl="$IMPLS" \
        -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" \
        -rf json -rff "$OUT/collections.json" 2>&1 | tee "$OUT/collections.txt"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = memory ]; then
    # shellcheck disable=SC2086
    java $FLAGS -Xms2g -Xmx2g -cp target/benchmarks.jar io.redjar.bench.CollectionMemory 1000000 $MEMARG \
        | tee "$OUT/collections-memory.txt"
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/collections-machine.txt"
