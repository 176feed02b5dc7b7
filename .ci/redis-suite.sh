#!/usr/bin/env bash
# redis-suite.sh - Redis 7.0.15's own Tcl test suite against RedJar's RESP server, one fresh
# server per unit file, with a checked-in floor.
#
#   usage: .ci/redis-suite.sh [-j JAR] [FILE...]
#
# For each unit file (default: the runner's default set) it starts a fresh
# `java -jar JAR --port P` on a free loopback port, waits for PING, runs
# `run.sh 127.0.0.1 P FILE`, stops the server and reports loudly if the server
# died during the file (exit code, hs_err file). A file with failures is run
# once more on another fresh server and the better of the two runs counts
# (anti-flake rule: timing-sensitive tests flake on a loaded machine).
# Prints a per-file table and `N passed, M failed`; exits 1 when N is below
# the floor in .ci/redis-suite-floor, 2 on a
# setup problem. Logs stay in REDIS_SUITE_OUT.
#
# Environment (defaults in brackets):
#   REDIS_SUITE_DIR          the runner (run.sh + redis-7.0.15/) [../shared/redis-suite from the repo root]
#   REDIS_SUITE_MODE         lenient: REDIS_SUITE_LENIENT_SETUP=1 (FUNCTION FLUSH errors ignored in
#                            block setup); strict: the real score [strict]
#   REDIS_SUITE_FLOOR_FILE   floor file: a line "<passed> <mode>" [.ci/redis-suite-floor]
#   REDIS_SUITE_FLOOR        overrides the number in the floor file; "none" skips the check []
#   REDIS_SUITE_OUT          log directory [target/redis-suite/<UTC timestamp>]
#   REDIS_SUITE_JOBS         files run concurrently, each lane with its own server and its own
#                            runner port range (--baseport); the suite mostly waits, 2 halves the wall [2]
#   REDIS_SUITE_RERUN        1: re-run a file that had failures, keep the better run [1]
#   REDIS_SUITE_TEST_TIMEOUT seconds without progress before a test counts as hung [60]
#   REDIS_SUITE_FILE_TIMEOUT budget per file run (the re-run gets its own) [420]
#   REDIS_SUITE_TOTAL_TIMEOUT budget for everything; files not started count as failed [2400]
#   REDIS_SUITE_FAIL_ON_CRASH 1: a server that died during a file fails the step even when the
#                            floor is met [1]
#   REDIS_SUITE_JAVA         java binary for the server [java]
#   REDIS_SUITE_JVM_OPTS     server JVM options [-Xmx1g -XX:+UseSerialGC]
#   REDIS_SUITE_SERVER_ARGS  server options [--io-threads 1 --enable-debug-command yes]: DEBUG is
#                            refused by default (Redis 7.0's enable-debug-command no) and the suite
#                            uses it; --io-threads 1 is Redis's own default, under which
#                            redis-server passes the suite; several tests send a blocking command
#                            on one connection and, without waiting, the write that serves or
#                            cancels it on another, which only one event loop keeps in order
set -uo pipefail
{ # the whole script is one compound command: bash parses it before running it (safe to edit mid-run)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/resp/target/redjar-server.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    -j|--jar) JAR=$2; shift 2;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0;;
    --) shift; break;;
    *) break;;
  esac
done

SUITE_DIR=${REDIS_SUITE_DIR:-"$ROOT/../shared/redis-suite"}
MODE=${REDIS_SUITE_MODE:-strict}
FLOOR_FILE=${REDIS_SUITE_FLOOR_FILE:-"$ROOT/.ci/redis-suite-floor"}
JOBS=${REDIS_SUITE_JOBS:-2}
RERUN=${REDIS_SUITE_RERUN:-1}
TEST_TIMEOUT=${REDIS_SUITE_TEST_TIMEOUT:-60}
FILE_TIMEOUT=${REDIS_SUITE_FILE_TIMEOUT:-420}
TOTAL_TIMEOUT=${REDIS_SUITE_TOTAL_TIMEOUT:-2400}
FAIL_ON_CRASH=${REDIS_SUITE_FAIL_ON_CRASH:-1}
JAVA=${REDIS_SUITE_JAVA:-java}
read -r -a JVM_OPTS <<< "${REDIS_SUITE_JVM_OPTS:--Xmx1g -XX:+UseSerialGC}"
read -r -a SERVER_ARGS <<< "${REDIS_SUITE_SERVER_ARGS---io-threads 1 --enable-debug-command yes}"
OUT=${REDIS_SUITE_OUT:-"$ROOT/target/redis-suite/$(date -u +%Y%m%dT%H%M%SZ)"}

die() { echo "redis-suite: $*" >&2; exit 2; }
case "$MODE" in lenient) LENIENT=1;; strict) LENIENT=0;; *) die "REDIS_SUITE_MODE must be lenient or strict, not '$MODE'";; esac
[ -f "$JAR" ] || die "server jar $JAR not found (build it: mvn -B install -DskipTests)"
[ -x "$SUITE_DIR/run.sh" ] || [ -f "$SUITE_DIR/run.sh" ] || die "runner not found at $SUITE_DIR/run.sh (set REDIS_SUITE_DIR)"
SUITE_DIR=$(cd "$SUITE_DIR" && pwd)
command -v tclsh8.6 >/dev/null 2>&1 || command -v tclsh >/dev/null 2>&1 || die "tclsh (8.5+) is required: apt-get install tcl8.6"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)

# The runner writes into its tree (tests/tmp) unless it is read-only, and the
# shared copy must stay untouched: every lane works on a private copy.
SRC_COPY="$OUT/.src"
rm -rf "$SRC_COPY"; mkdir -p "$SRC_COPY"
cp -r "$SUITE_DIR/redis-7.0.15/." "$SRC_COPY/" && chmod -R u+w "$SRC_COPY" || die "cannot copy the Redis test tree"

# The default file set and the known test count per file (for files never
# started) come from run.sh itself.
runner_list() { # $1: variable name in run.sh
  awk -v v="$1" '$0 == v "=\"" { on=1; next } on && /^"/ { exit } on { print }' "$SUITE_DIR/run.sh"
}
declare -A KNOWN
while read -r u n _; do [ -n "$u" ] && KNOWN[$u]=$n; done < <(runner_list EMBEDDED_BASELINE)
runner_list EMBEDDED_BASELINE | awk 'NF == 2 { print $1 "\t" $2 }' > "$OUT/.baseline.tsv"

if [ $# -gt 0 ]; then FILES=("$@"); else read -r -a FILES <<< "$(runner_list DEFAULT_FILES | tr '\n' ' ')"; fi
[ ${#FILES[@]} -gt 0 ] || die "no unit files (could not read DEFAULT_FILES from $SUITE_DIR/run.sh)"
norm() { local u=${1#./}; u=${u#tests/}; u=${u%.tcl}
  case "$u" in unit/*|integration/*) ;; *) u="unit/$u";; esac
  if [ ! -f "$SRC_COPY/tests/$u.tcl" ] && [ -f "$SRC_COPY/tests/unit/type/${u#unit/}.tcl" ]; then u="unit/type/${u#unit/}"; fi
  echo "$u"; }
for i in "${!FILES[@]}"; do FILES[$i]=$(norm "${FILES[$i]}"); done

T0=$(date +%s)
DEADLINE=$((T0 + TOTAL_TIMEOUT))
{
  echo "redis-suite: ${#FILES[@]} files, mode $MODE, jobs $JOBS, re-run $RERUN, test timeout ${TEST_TIMEOUT}s, file budget ${FILE_TIMEOUT}s, total budget ${TOTAL_TIMEOUT}s"
  echo "redis-suite: server $JAVA ${JVM_OPTS[*]} -jar $JAR ${SERVER_ARGS[*]} ($("$JAVA" -version 2>&1 | sed -n 1p))"
  echo "redis-suite: runner $SUITE_DIR/run.sh; logs in $OUT"
  echo "redis-suite: load: $(uptime)"
} >&2

# --- one server -----------------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ping_ok() { # $1 port
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3; IFS= read -r -t 3 line <&3; exec 3>&-
  [ "${line%$'\r'}" = "+PONG" ]
}
# start_server DIR -> sets SPID, SPORT; returns 1 when no server answered
start_server() {
  local dir=$1 try p waited
  mkdir -p "$dir"
  for try in 1 2 3 4 5; do
    # free loopback port outside the runner's ranges (21079-21110, 31079-31110)
    p=$((40000 + RANDOM % 20000))
    port_busy "$p" && continue
    ( cd "$dir" && exec "$JAVA" "${JVM_OPTS[@]}" -XX:ErrorFile="$dir/hs_err_pid%p.log" \
        -jar "$JAR" --port "$p" --bind 127.0.0.1 "${SERVER_ARGS[@]}" ) > "$dir/server.log" 2>&1 < /dev/null &
    SPID=$!; SPORT=$p; waited=0
    while [ $waited -lt 600 ]; do   # 60 s: JVM start on a loaded machine
      if ping_ok "$p"; then return 0; fi
      kill -0 "$SPID" 2>/dev/null || break
      sleep 0.1; waited=$((waited + 1))
    done
    kill -KILL "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null
    echo "redis-suite: server on port $p did not answer PING (try $try): $(tail -3 "$dir/server.log" | tr '\n' ' ')" >&2
  done
  return 1
}
# stop_server DIR -> sets SRV_STATE: "alive" or "died:<exit code>" (+hs_err); not in a subshell:
# only this shell can wait for the server's exit code
stop_server() {
  local dir=$1 rc state i
  if kill -0 "$SPID" 2>/dev/null; then
    state=alive
    kill -TERM "$SPID" 2>/dev/null
    for i in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
  else
    wait "$SPID" 2>/dev/null; rc=$?
    state="died:$rc"
  fi
  ls "$dir"/hs_err_pid*.log >/dev/null 2>&1 && state="${state}+hs_err"
  SRV_STATE=$state
}

# run_file U DIR -> writes DIR/result: "passed failed status secs server-state"
run_once() {
  local u=$1 dir=$2 baseport=$3 start now budget p f status srv tail
  start=$(date +%s)
  now=$start; budget=$FILE_TIMEOUT
  [ $((now + budget)) -gt $DEADLINE ] && budget=$((DEADLINE - now))
  if [ "$budget" -le 10 ]; then
    echo "0 ${KNOWN[$u]:-0} not-started 0 -" > "$dir/result"; return
  fi
  if ! start_server "$dir"; then
    echo "0 ${KNOWN[$u]:-0} no-server $(( $(date +%s) - start )) died" > "$dir/result"; return
  fi
  local args=""; [ -n "$baseport" ] && args="--baseport $baseport"
  env REDIS_SRC="$SRC_COPY" REDIS_SUITE_LENIENT_SETUP=$LENIENT REDIS_SUITE_LOGDIR="$dir/logs" \
      REDIS_SUITE_TEST_TIMEOUT="$TEST_TIMEOUT" REDIS_SUITE_FILE_TIMEOUT="$budget" \
      REDIS_SUITE_TOTAL_TIMEOUT="$budget" REDIS_SUITE_ARGS="$args" \
      ${baseport:+REDIS_SUITE_BASELINE="$OUT/.baseline.tsv"} \
      timeout -k 10 $((budget + 60)) bash "$SUITE_DIR/run.sh" 127.0.0.1 "$SPORT" "$u" \
      > "$dir/run.out" 2> "$dir/run.err" < /dev/null
  stop_server "$dir"; srv=$SRV_STATE
  # run.sh copies the tree to /tmp for lenient mode and leaves it there
  local copy
  copy=$(sed -n 's#^redis-suite: target .*, Redis tests from \(/tmp/redis-suite-src\.[A-Za-z0-9]*\) (version.*#\1#p' "$dir/run.err" | head -1)
  [ -n "$copy" ] && [ -d "$copy" ] && rm -rf "$copy"
  tail=$(tail -1 "$dir/run.out")
  if [[ "$tail" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
    status=$(awk -v u="$u" '$1 == u { print $7 }' "$dir/run.out" | head -1)
    [ -z "$status" ] && status="?"
  else
    p=0; f=${KNOWN[$u]:-0}; status="runner-error"
  fi
  echo "$p $f $status $(( $(date +%s) - start )) $srv" > "$dir/result"
}

run_file() { # U LANE_BASEPORT
  local u=$1 baseport=$2 safe=${1//\//_} best=1 r1 r2 p1 f1 p2 f2 note="" srv
  rm -rf "${OUT:?}/$safe"
  run_once "$u" "$OUT/$safe/run1" "$baseport"
  read -r p1 f1 s1 t1 v1 < "$OUT/$safe/run1/result"
  local p=$p1 f=$f1 s=$s1 t=$t1 crash=""
  [ "${v1%%+*}" != alive ] && [ "$v1" != - ] && crash="run1:$v1"
  if [ "$RERUN" = 1 ] && [ "$f1" -gt 0 ] && [ "$s1" != not-started ]; then
    run_once "$u" "$OUT/$safe/run2" "$baseport"
    read -r p2 f2 s2 t2 v2 < "$OUT/$safe/run2/result"
    [ "${v2%%+*}" != alive ] && [ "$v2" != - ] && crash="${crash:+$crash,}run2:$v2"
    t=$((t1 + t2))
    note="runs $p1/$p2"
    if [ "$s2" != not-started ] && [ "$p2" -gt "$p1" ]; then p=$p2; f=$f2; s=$s2; best=2; fi
  fi
  # the chosen run's failed.txt is the file's failed.txt
  [ -f "$OUT/$safe/run$best/logs/failed.txt" ] && cp "$OUT/$safe/run$best/logs/failed.txt" "$OUT/$safe/failed.txt"
  printf '%s\t%d\t%d\t%s\t%d\t%s\t%s\n' "$u" "$p" "$f" "$s" "$t" "${crash:--}" "$note" > "$OUT/$safe/row"
  if [ -n "$crash" ]; then
    echo "redis-suite: !!! SERVER DIED during $u ($crash): see $OUT/$safe/run*/server.log and hs_err_pid*.log" >&2
  fi
  printf 'redis-suite: %-26s passed %4d  failed %4d  %-10s %4ds %s%s\n' "$u" "$p" "$f" "$s" "$t" \
    "$note" "${crash:+  SERVER DIED: $crash}" >&2
}

# --- lanes ----------------------------------------------------------------------
lane() { # LANE_INDEX
  local i=$1 k baseport=""
  # lane 0 uses the runner's default port range; others get their own (the
  # runner probes 32 ports below --baseport for its test server socket)
  [ "$i" -gt 0 ] && baseport=$((21111 + 1000 * i))
  # files in list order, each taken by the first free lane (mkdir is the atomic claim)
  for k in "${!FILES[@]}"; do
    mkdir "$OUT/.claims/$k" 2>/dev/null && run_file "${FILES[$k]}" "$baseport"
  done
}
rm -rf "$OUT/.claims"; mkdir -p "$OUT/.claims"
pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill -TERM -- "$p" 2>/dev/null; done; }
trap 'cleanup; echo "redis-suite: interrupted" >&2; exit 130' INT TERM
if [ "$JOBS" -le 1 ]; then
  JOBS=1; lane 0
else
  for ((i = 0; i < JOBS; i++)); do lane "$i" & pids+=($!); done
  wait "${pids[@]}"
fi
WALL=$(( $(date +%s) - T0 ))

# --- report ---------------------------------------------------------------------
tp=0; tf=0; crashes=0
: > "$OUT/failed.txt"
fmt='%-26s %7s %7s  %-12s %6s  %-10s %s\n'
{
  printf "$fmt" FILE PASSED FAILED STATUS SECS SERVER NOTE
  for u in "${FILES[@]}"; do
    safe=${u//\//_}
    if [ -f "$OUT/$safe/row" ]; then
      IFS=$'\t' read -r _ p f s t c note < "$OUT/$safe/row"
    else
      p=0; f=${KNOWN[$u]:-0}; s=missing; t=0; c=-; note="no result"
    fi
    [ -f "$OUT/$safe/failed.txt" ] && cat "$OUT/$safe/failed.txt" >> "$OUT/failed.txt"
    [ "$c" != - ] && crashes=$((crashes + 1))
    srv=ok; [ "$c" != - ] && srv="DIED"
    printf "$fmt" "$u" "$p" "$f" "$s" "$t" "$srv" "$note"
    tp=$((tp + p)); tf=$((tf + f))
  done
  printf "$fmt" TOTAL "$tp" "$tf" "" "$WALL" "" ""
} > "$OUT/table.txt"
cat "$OUT/table.txt"
echo
echo "redis-suite: mode $MODE, wall ${WALL}s, load: $(uptime | sed 's/.*load average/load average/'); logs: $OUT (failed.txt, <file>/run*/logs/)"
rc=0
if [ $crashes -gt 0 ]; then
  echo "redis-suite: !!! the server DIED during $crashes file(s): $(awk -F'\t' '$6 != "-" { printf "%s(%s) ", $1, $6 }' "$OUT"/*/row)"
  [ "$FAIL_ON_CRASH" = 1 ] && rc=1
fi
floor=${REDIS_SUITE_FLOOR:-}
floor_mode=$MODE
if [ -z "$floor" ] && [ -f "$FLOOR_FILE" ]; then
  read -r floor floor_mode _ < <(grep -v '^[[:space:]]*#' "$FLOOR_FILE" | grep -m1 '[0-9]')
  floor_mode=${floor_mode:-lenient}
fi
if [ -z "$floor" ] || [ "$floor" = none ]; then
  echo "redis-suite: no floor checked"
elif [ "$floor_mode" != "$MODE" ]; then
  echo "redis-suite: floor $floor is for $floor_mode mode; this run is $MODE: not checked"
elif [ "$tp" -lt "$floor" ]; then
  echo "redis-suite: FAIL: $tp passed is below the floor of $floor ($FLOOR_FILE)"
  rc=1
else
  echo "redis-suite: floor $floor ($floor_mode) met: $tp passed$([ "$tp" -gt "$floor" ] && echo ", $((tp - floor)) above: raise the floor?")"
fi
echo "$tp passed, $tf failed"
exit $rc
}
