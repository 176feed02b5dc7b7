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
        log "building core, benchmarks.jar and the RESP server jar"
        # shellcheck disable=SC2086
        mvn -B -q $MAVEN_ARGS install -DskipTests
        # shellcheck disable=SC2086
        mvn -B -q $MAVEN_ARGS -Pjmh package -DskipTests
        # shellcheck disable=SC2086
        mvn -B -q $MAVEN_ARGS -f resp/pom.xml package -DskipTests
    fi
}
