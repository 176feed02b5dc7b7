#!/usr/bin/env bash
# Side-by-side throughput: redis-server vs RedJar, with redis-benchmark.
# Usage: resp/bench/side-by-side.sh [requests] [tests]
#   requests: default 2000000 (use e.g. 100000 while developing)
#   tests:    default set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100 (redis-benchmark -t names)
# Builds nothing: run `mvn -q install -DskipTests` (the root build) first.
set -euo pipefail
N=${1:-2000000}
TESTS=${2:-set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
JAR="$HERE/resp/target/redjar-server.jar"
REDIS_PORT=${REDIS_PORT:-17379}
REDJAR_PORT=${REDJAR_PORT:-17380}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -q install -DskipTests at the root" >&2; exit 1; }
for t in redis-server redis-benchmark redis-cli; do command -v $t >/dev/null || { echo "$t not found" >&2; exit 1; }; done

redis-server --port $REDIS_PORT --save '' --appendonly no --bind 127.0.0.1 >/dev/null &
RPID=$!
java -jar "$JAR" --port $REDJAR_PORT >/dev/null &
JPID=$!
trap 'kill $RPID $JPID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for p in $REDIS_PORT $REDJAR_PORT; do
  for i in $(seq 1 100); do redis-cli -p $p ping >/dev/null 2>&1 && break; sleep 0.1; done
done

bench() { # port pipeline -> "test rps" lines
  redis-benchmark -p "$1" -c 50 -n "$N" -t "$TESTS" -P "$2" --csv 2>/dev/null \
    | tail -n +2 | awk -F'","' '{gsub(/"/,"",$1); gsub(/"/,"",$2); gsub(/ /,"_",$1); print $1, $2}'
}

printf '%-22s %-4s %14s %14s %8s\n' test P 'redis rps' 'redjar rps' 'redjar/redis'
for P in 1 16; do
  # warm the JVM up a little before measuring
  redis-benchmark -p $REDJAR_PORT -c 50 -n 100000 -t set,get -P $P -q >/dev/null 2>&1 || true
  paste <(bench $REDIS_PORT $P) <(bench $REDJAR_PORT $P) | while read -r t1 r1 t2 r2; do
    awk -v t="$t1" -v p="$P" -v a="$r1" -v b="$r2" 'BEGIN { printf "%-22s %-4s %14.0f %14.0f %8.2f\n", t, p, a, b, b / a }'
  done
done
