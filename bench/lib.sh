# Shared by the bench/run-*-bench.sh scripts (sourced, not run): logging, the ONLY filter, installing
# redis-server / redis-tools when missing (apt-get, sudo if not root), and building the core, the
# JMH benchmarks jar and the RESP server jar unless SKIP_BUILD=1 (MAVEN_ARGS passed to Maven).
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }
log() { echo "== $*" >&2; }

# Sets REDIS_BIN.
ensure_redis() {
    local sudo=
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo=sudo; fi
    if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
        log "installing redis-server and redis-tools"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server redis-tools >/dev/null
    fi
    REDIS_BIN=$(command -v redis-server)
}

build_all() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building core, the RESP server jar and benchmarks.jar"
        # the root build: core and RESP module (resp/target/redjar-server.jar), no docs jars
        # shellcheck disable=SC2086
        mvn -B -q $MAVEN_ARGS install -DskipTests -Dredjar.skipDocs
        # the core alone with the benchmarks (target/benchmarks.jar)
        # shellcheck disable=SC2086
        mvn -B -q $MAVEN_ARGS -pl :redjar -Pjmh package -DskipTests -Dredjar.skipDocs
    fi
}

# summarize RESULTS DECIMALS RATIO...: prints each measure's rounds and median from RESULTS (lines
# "<kind> <name> <round> <value>"; a measure is "<kind> <name>"), then each RATIO, given as
# "label|measure a|measure b", as median(a) / median(b) when both were measured.
summarize() {
    local results=$1 decimals=$2
    shift 2
    local IFS=$'\n'
    awk -v decimals="$decimals" -v ratios="$*" '
        function median(k,    n, i, j, t, v) {
            n = cnt[k]
            for (i = 1; i <= n; i++) v[i] = val[k, i]
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        { sub(/\r$/, ""); k = $1 " " $2; cnt[k]++; val[k, cnt[k]] = $4 + 0; rounds[k] = rounds[k] sprintf(" %12." decimals "f", $4); if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
        END {
            for (i = 1; i <= nk; i++) { k = order[i]; med[k] = median(k); printf "%-42s %s   median %12." decimals "f\n", k, rounds[k], med[k] }
            print ""
            n = split(ratios, r, "\n")
            for (i = 1; i <= n; i++) {
                split(r[i], p, "|")
                if ((p[2] in med) && (p[3] in med) && med[p[3]] > 0) printf "%-56s %8.2f\n", p[1], med[p[2]] / med[p[3]]
            }
        }
    ' "$results"
}

# Servers a script starts: add each one's pid to PIDS (PIDS+=($!)); they are killed on exit.
PIDS=()
kill_started() {
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
}
trap kill_started EXIT

# wait_port PORT: until something answers PING there (2 minutes at most)
wait_port() {
    for _ in $(seq 1 2400); do
        redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.05
    done
    echo "nothing answers on port $1" >&2
    return 1
}

# stop_servers PORT...: SHUTDOWN NOSAVE to each port, then waits for every started server to end
stop_servers() {
    local port p
    for port in "$@"; do
        redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    done
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null || true
    done
    PIDS=()
}

# start_pair: RedJar's RESP server (resp/target/redjar-server.jar) on $PORT_RJ and redis-server
# ($REDIS_BIN) on $PORT_REDIS, both without persistence, logs in $OUT; waits until both listen.
# Their PIDs join PIDS (for kill_started).
start_pair() {
    # shellcheck disable=SC2086
    java ${FLAGS:-} -jar resp/target/redjar-server.jar --port "$PORT_RJ" --save '' --appendonly no > "$OUT/redjar.log" 2>&1 &
    PIDS+=($!)
    "$REDIS_BIN" --port "$PORT_REDIS" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile "$OUT/redis.log" > /dev/null 2>&1 &
    PIDS+=($!)
    wait_port "$PORT_RJ"
    wait_port "$PORT_REDIS"
}

# bench_run CLASS SCENARIO TARGET NAME ROUND: one measurement of io.redjar.bench.CLASS from
# target/benchmarks.jar, its last line's third field appended to $RESULTS as "SCENARIO NAME ROUND value".
bench_run() {
    local line
    # shellcheck disable=SC2086
    line=$(java $FLAGS $PROPS -cp target/benchmarks.jar "io.redjar.bench.$1" "$2" "$3" 2>>"$OUT/errors.log" | tail -n 1)
    echo "$2 $4 $5 $(echo "$line" | awk '{ print $3 }')" >> "$RESULTS"
    log "$2 $4 round $5: $line"
}

# bench_setup: $OUT made absolute, an empty $OUT/results.txt as RESULTS, and the machine, the JDK,
# redis-server's version and the load written to $OUT/machine.txt (and shown).
bench_setup() {
    mkdir -p "$OUT"
    OUT=$(cd "$OUT" && pwd)
    RESULTS=$OUT/results.txt
    : > "$RESULTS"
    {
        echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
        java -version 2>&1 | head -1
        "$REDIS_BIN" --version
        echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    } | tee "$OUT/machine.txt"
}
