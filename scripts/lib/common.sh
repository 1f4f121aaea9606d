# Shared by forkcast's scripts: finding a JDK 25, the build, and the classpaths. Sourced, not run.

FORKCAST_ROOT=${FORKCAST_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

die() {
    echo "forkcast: $*" >&2
    exit 2
}

# java_major JAVA: prints the feature version of a java executable (17, 25, ...), or nothing.
java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

# find_jdk: sets JAVA_HOME to a JDK 25 or newer: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
find_jdk() {
    local candidate major
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        major=$(java_major "$JAVA_HOME/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            export JAVA_HOME
            return 0
        fi
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidate=${candidate%/}
        [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            export JAVA_HOME=$candidate
            return 0
        fi
    done
    die "needs a JDK 25 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. Temurin 25)"
}

# mvn_run ARGS...: Maven on the JDK found by find_jdk, quiet about JDK 25's Unsafe warnings.
mvn_run() {
    command -v mvn >/dev/null 2>&1 || die "needs Apache Maven (mvn) to build; install it (apt-get install maven)"
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -f "$FORKCAST_ROOT/pom.xml" "$@"
}

# mvn_quiet ARGS...: mvn_run -q for the launcher's own builds, with every terminal escape sequence taken out of
# what it prints: Debian's Maven 3.8 writes colour resets (ESC[0m) even in batch mode with colour off, which show
# as "[0m[0m" wherever the escape is not understood. Keeps Maven's exit status.
mvn_quiet() {
    mvn_run -q -Dstyle.color=never "$@" 2>&1 | sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b//g'
    return "${PIPESTATUS[0]}"
}

# layout: sets SUPERVISOR_CP, WORKER_CP and ADMIN_CP, from an installed tree (lib/supervisor, lib/worker,
# lib/admin) or the build.
layout() {
    if [ -d "$FORKCAST_ROOT/lib/worker" ]; then
        SUPERVISOR_CP=$(jars "$FORKCAST_ROOT/lib/supervisor")
        WORKER_CP=$(jars "$FORKCAST_ROOT/lib/worker")
        ADMIN_CP=$(jars "$FORKCAST_ROOT/lib/admin")
    else
        SUPERVISOR_CP=$(jars "$FORKCAST_ROOT/supervisor/target" "$FORKCAST_ROOT/supervisor/target/lib")
        WORKER_CP=$(jars "$FORKCAST_ROOT/worker/target" "$FORKCAST_ROOT/worker/target/lib")
        ADMIN_CP=$(jars "$FORKCAST_ROOT/admin/target")
    fi
}

# jars DIR...: the .jar files directly in each DIR, joined with ':' (an explicit list: AOT caches need one).
jars() {
    local dir f out=""
    for dir in "$@"; do
        for f in "$dir"/*.jar; do
            [ -e "$f" ] || continue
            case "$f" in *-sources.jar | *-tests.jar) continue ;; esac
            out=${out:+$out:}$f
        done
    done
    printf '%s' "$out"
}

# ensure_built: builds the jars when they are missing or older than a source file (skipped in installed trees
# and when FORKCAST_NO_BUILD=1).
ensure_built() {
    [ -d "$FORKCAST_ROOT/lib/worker" ] && return 0
    [ "${FORKCAST_NO_BUILD:-0}" = 1 ] && return 0
    local stamp="$FORKCAST_ROOT/supervisor/target/lib/.built"
    if [ -f "$stamp" ] && [ -z "$(find "$FORKCAST_ROOT/pom.xml" "$FORKCAST_ROOT"/{protocol,worker,supervisor,admin}/pom.xml \
        "$FORKCAST_ROOT"/{protocol,worker,supervisor,admin}/src/main "$FORKCAST_ROOT/scripts/admin/php/admin.js" \
        -newer "$stamp" -print -quit 2>/dev/null)" ]; then
        return 0
    fi
    local started=$SECONDS
    echo "forkcast: building the jars with Maven (first run, or the sources changed; a minute or two)..." >&2
    # Built to run: the format check is scripts/test's (mvn verify), not a reason to refuse to start.
    mvn_quiet -DskipTests -Dspotless.check.skip=true -pl protocol,worker,supervisor,admin -am package >&2 \
        || die "build failed after $((SECONDS - started)) s (see above)"
    touch "$stamp"
    echo "forkcast: built in $((SECONDS - started)) s" >&2
}

# render_unit SRC PREFIX: prints the systemd unit SRC with the install prefix /opt/forkcast replaced by PREFIX.
render_unit() {
    sed "s|/opt/forkcast|$2|g" "$1"
}
