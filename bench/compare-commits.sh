#!/usr/bin/env bash
# Same-run performance comparison of two commits: bench/compare-commits.sh BASE HEAD [mvn args...]
#
# Builds both commits (each in a temporary git worktree), then, for ROUNDS rounds, measures base
# and head one after the other (the order alternates every round, so drift on a shared machine
# hits both sides alike):
#   jmh   in-process GET/SET: StringGetSetBenchmark, impl=redjar, 1 and 2 threads
#   resp  redis-benchmark against each commit's RESP server jar: GET,SET,INCR,LPUSH,HSET,ZADD at
#         -P 1 and -P 16 (redis-tools is installed with apt-get if redis-benchmark is missing)
# and prints every round's numbers, the medians, head/base ratios and the load average.
#
# Environment (defaults in brackets):
#   ROUNDS [3]           rounds; each measures base and head once
#   ONLY [all]           jmh | resp: run one half (and build only what it needs)
#   MVN_OPTS []          extra arguments for every mvn call (e.g. "-o -Dmaven.repo.local=..."); any
#                        arguments after BASE HEAD are added too. No offline flag by default, so it
#                        works on a fresh clone. Note: each commit's core is installed into the local
#                        Maven repository in turn (the RESP module builds against it); HEAD's is last.
#   JMH: FORKS [1] WI [2] W [1s] I [3] R [1s] KEYS [1000000]   forks, warmup iterations and time,
#                        measured iterations and time, preloaded keys
#   RESP: N [200000] CLIENTS [50] TESTS [get,set,incr,lpush,hset,zadd] PORT [17481]
#   KEEP [0]             1 keeps the temporary directory (worktrees, jars, raw results)
#
# Tiny smoke run: ROUNDS=1 WI=0 I=1 R=200ms KEYS=10000 N=20000 bench/compare-commits.sh main main
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
BASE_REF=$1
HEAD_REF=$2
shift 2

ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-all}
FORKS=${FORKS:-1}
WI=${WI:-2}
W=${W:-1s}
I=${I:-3}
R=${R:-1s}
KEYS=${KEYS:-1000000}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}
TESTS=${TESTS:-get,set,incr,lpush,hset,zadd}
PORT=${PORT:-17481}
KEEP=${KEEP:-0}
# shellcheck disable=SC2206
MVN_ARGS=(-B ${MVN_OPTS:-} "$@")
FLAGS="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"

case "$ONLY" in all | jmh | resp) ;; *) echo "ONLY must be jmh, resp or unset (got '$ONLY')" >&2; exit 2 ;; esac
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

REPO=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
BASE=$(git -C "$REPO" rev-parse --verify "$BASE_REF^{commit}")
HEAD=$(git -C "$REPO" rev-parse --verify "$HEAD_REF^{commit}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/redjar-compare.XXXXXX")
SERVER_PID=

cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    for side in base head; do
        [ -d "$TMP/$side" ] && git -C "$REPO" worktree remove --force "$TMP/$side" >/dev/null 2>&1 || true
    done
    git -C "$REPO" worktree prune >/dev/null 2>&1 || true
    if [ "$KEEP" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
log() { echo "[$(date -u +%H:%M:%S) load $(load)] $*" >&2; }

if want resp && ! command -v redis-benchmark >/dev/null; then
    log "redis-benchmark not found: installing redis-tools"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-tools >/dev/null
fi
if want resp; then command -v redis-benchmark >/dev/null || { echo "redis-benchmark is still missing" >&2; exit 1; }; fi

# ---- build -----------------------------------------------------------------------------------
mkdir -p "$TMP/jars" "$TMP/results"
build() { # side commit
    local side=$1 commit=$2 dir="$TMP/$1" logf="$TMP/build-$1.log"
    git -C "$REPO" worktree add --detach "$dir" "$commit" >/dev/null 2>&1
    log "building $side ($(git -C "$REPO" log -1 --format='%h %s' "$commit" | cut -c1-70)); log: $logf"
    (
        cd "$dir"
        if want resp; then
            # a root build (core and RESP module) installs both; the resp step is what builds the
            # server jar of commits from before the root build
            mvn "${MVN_ARGS[@]}" -q install -DskipTests -Dredjar.skipDocs
            mvn "${MVN_ARGS[@]}" -q -f resp/pom.xml package -DskipTests -Dredjar.skipDocs
            cp resp/target/redjar-server.jar "$TMP/jars/$side-server.jar"
        fi
        if want jmh; then
            mvn "${MVN_ARGS[@]}" -q -pl :redjar -Pjmh package -DskipTests -Dredjar.skipDocs
            cp target/benchmarks.jar "$TMP/jars/$side-benchmarks.jar"
        fi
    ) >"$logf" 2>&1 || { echo "build of $side ($commit) failed; last lines of $logf:" >&2; tail -30 "$logf" >&2; exit 1; }
}
build base "$BASE"
if [ "$HEAD" = "$BASE" ]; then
    log "head is the same commit as base: reusing its jars"
    for f in server benchmarks; do [ -f "$TMP/jars/base-$f.jar" ] && cp "$TMP/jars/base-$f.jar" "$TMP/jars/head-$f.jar"; done
else
    build head "$HEAD"
fi

# ---- measure ---------------------------------------------------------------------------------
# Every measurement appends "half metric side round value" to $TMP/results/all.txt.
RESULTS="$TMP/results/all.txt"
: >"$RESULTS"

jmh() { # side round
    local side=$1 round=$2 csv="$TMP/results/jmh-$1-$2.csv"
    log "round $round: jmh $side"
    # shellcheck disable=SC2086
    java $FLAGS -jar "$TMP/jars/$side-benchmarks.jar" 'StringGetSetBenchmark\.(get|set)[12]T$' \
        -p impl=redjar -p keys="$KEYS" -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" \
        -rf csv -rff "$csv" >"$TMP/results/jmh-$side-$round.txt" 2>&1 \
        || { echo "JMH failed for $side; see below" >&2; tail -30 "$TMP/results/jmh-$side-$round.txt" >&2; exit 1; }
    # "Benchmark","Mode","Threads","Samples","Score",... -> ops/s per method
    tail -n +2 "$csv" | awk -F',' -v side="$side" -v round="$round" '{
        gsub(/"/, "", $1); n = split($1, parts, "."); printf "jmh %s %s %s %.0f\n", parts[n], side, round, $5 }' >>"$RESULTS"
}

resp() { # side round
    local side=$1 round=$2
    log "round $round: resp $side"
    java -jar "$TMP/jars/$side-server.jar" --port "$PORT" >"$TMP/results/server-$side-$round.log" 2>&1 &
    SERVER_PID=$!
    local up=0
    for _ in $(seq 1 200); do
        if redis-cli -p "$PORT" ping >/dev/null 2>&1; then up=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ "$up" = 1 ] || { echo "the $side server did not start; its log:" >&2; cat "$TMP/results/server-$side-$round.log" >&2; exit 1; }
    # a short warm-up of the JIT, not measured
    redis-benchmark -p "$PORT" -c "$CLIENTS" -n "$(( N / 4 > 1000 ? N / 4 : 1000 ))" -t "$TESTS" -P 16 -q >/dev/null 2>&1 || true
    for P in 1 16; do
        redis-benchmark -p "$PORT" -c "$CLIENTS" -n "$N" -t "$TESTS" -P "$P" --csv 2>/dev/null | tail -n +2 \
            | awk -F'","' -v side="$side" -v round="$round" -v p="$P" '{
                gsub(/"/, "", $1); gsub(/"/, "", $2); gsub(/ /, "_", $1); printf "resp %s_P%s %s %s %.0f\n", $1, p, side, round, $2 }' \
            >>"$RESULTS"
    done
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

echo "base $(git -C "$REPO" log -1 --format='%h %s' "$BASE" | cut -c1-90)"
echo "head $(git -C "$REPO" log -1 --format='%h %s' "$HEAD" | cut -c1-90)"
echo "machine: nproc=$(nproc) $(java -version 2>&1 | head -1)  load at start: $(load)"
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="base head"; else order="head base"; fi
    for side in $order; do want jmh && jmh "$side" "$round"; done
    for side in $order; do want resp && resp "$side" "$round"; done
    echo "round $round done (order: $order), load $(load)"
done

# ---- report ----------------------------------------------------------------------------------
echo
echo "ops/s (jmh: operations per second over all threads; resp: redis-benchmark requests per second)"
awk -v rounds="$ROUNDS" '
    function median(side, m,    n, i, j, t, v) {
        n = 0
        for (i = 1; i <= rounds; i++) if ((m, side, i) in val) v[++n] = val[m, side, i]
        if (n == 0) return -1
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { m = $1 " " $2; if (!(m in seen)) { seen[m] = 1; order[++count] = m }; val[m, $3, $4] = $5 }
    END {
        printf "%-24s", "metric"
        for (i = 1; i <= rounds; i++) printf " %12s", "base r" i
        for (i = 1; i <= rounds; i++) printf " %12s", "head r" i
        printf " %12s %12s %8s\n", "base median", "head median", "head/base"
        for (k = 1; k <= count; k++) {
            m = order[k]; split(m, mm, " ")
            printf "%-24s", mm[1] ":" mm[2]
            for (i = 1; i <= rounds; i++) printf " %12s", ((m, "base", i) in val) ? val[m, "base", i] : "-"
            for (i = 1; i <= rounds; i++) printf " %12s", ((m, "head", i) in val) ? val[m, "head", i] : "-"
            b = median("base", m); h = median("head", m)
            printf " %12.0f %12.0f %8s\n", b, h, (b > 0 && h >= 0) ? sprintf("%.3f", h / b) : "-"
        }
    }' "$RESULTS"
echo
echo "load average at end: $(load)  (ratios from a loaded machine are noise; rerun with more ROUNDS)"
