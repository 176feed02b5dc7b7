#!/usr/bin/env bash
# Long command-fuzzer passes (see docs/hardening.md). Each seed runs in its own child JVM through
# CommandFuzzTest; a crash, an escaped exception, a broken invariant or a hang fails with the seed,
# the last 50 commands and the problem.
#
#   COMMANDS=1000000 SEEDS="1 2 3" bench/fuzz.sh        in-process, 1M commands per seed
#   WIRE=1 COMMANDS=100000 SEEDS=7 bench/fuzz.sh         over the wire (RESP module), in total
#   THREADS=3 ...                                        plus two helper threads on the same store
#   CHECKED=0 ...                                        without the bounds-checked memory mode
#                                                        (default: on, as in the test suites)
#   SKIP=  ...                                           also the input classes defused by default
#   MAVEN_ARGS=-o                                        extra Maven flags (default: none)
set -euo pipefail
cd "$(dirname "$0")/.."
COMMANDS=${COMMANDS:-1000000}
SEEDS=${SEEDS:-$RANDOM$RANDOM}
MAVEN_ARGS=${MAVEN_ARGS:-}
EXTRA=()
if [ "${CHECKED:-1}" = 0 ]; then EXTRA+=(-Dredjar.memory.checked=false); else EXTRA+=(-Dredjar.memory.checked=true); fi
if [ -n "${THREADS:-}" ]; then EXTRA+=(-Dredjar.fuzz.threads="$THREADS"); fi
if [ "${SKIP+set}" = set ]; then EXTRA+=("-Dredjar.fuzz.skip=$SKIP"); fi
for seed in $SEEDS; do
  if [ "${WIRE:-0}" = 1 ]; then
    mvn -B $MAVEN_ARGS -q install -DskipTests -Dredjar.skipDocs
    mvn -B $MAVEN_ARGS -f resp/pom.xml verify -Dtest=WireFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dredjar.fuzz.seed="$seed" -Dredjar.fuzz.wire.commands="$COMMANDS" "${EXTRA[@]}"
  else
    mvn -B $MAVEN_ARGS -pl :redjar test -Dtest=CommandFuzzTest -Dredjar.fuzz.seed="$seed" -Dredjar.fuzz.commands="$COMMANDS" "${EXTRA[@]}"
  fi
done
