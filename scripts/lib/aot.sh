# The worker's AOT cache (JDK 25, JEP 483/514) for scripts/forkcast: where it lives, when it is stale, and the
# training run that makes it. Sourced after common.sh; needs JAVA_HOME, SUPERVISOR_JVM_OPTS, SUPERVISOR_CP and
# WORKER_CP (from find_jdk and layout).
#
# Where:  worker/target/aot/worker.aot in a build tree; in an installed tree (lib/worker) systemd's
#         $CACHE_DIRECTORY (CacheDirectory=forkcast in the unit), else /var/cache/forkcast. FORKCAST_CACHE_DIR
#         wins over both. FORKCAST_AOT=0 turns the cache off.
# Stale:  worker.aot.stamp (for both caches) holds a hash of the jars of both classpaths (names, sizes, mtimes; the supervisor's
#         jar holds the default worker options), `java -version` of the worker's java, and the worker flags given
#         to `run`. Any change retrains before the server starts (a few seconds).
# Train:  a real supervisor with the same flags and classpath, its workers given -XX:AOTCacheOutput (one-step,
#         JDK 25); two telnet sessions over bash's /dev/tcp (join, /nick, /who, lines both ways, /me, /help, an
#         unknown command, a telnet option, /quit); the first session's worker writes the cache as it exits.
#         The training supervisor has -XX:AOTCacheOutput too and writes supervisor.aot when it stops: it cuts
#         the supervisor's start to READY by about a quarter (measured in docs/benchmarks.md).
# Never fatal: when no cache can be had, one line says why and workers start without it. A custom worker
# (--worker-classpath or --worker-main) or an explicit --worker-aot-cache gets nothing from here.

AOT_TRAIN_TIMEOUT_SECONDS=${FORKCAST_AOT_TRAIN_TIMEOUT:-120}

# aot_dir: prints the directory of the cache.
aot_dir() {
    if [ -n "${FORKCAST_CACHE_DIR:-}" ]; then
        printf '%s' "$FORKCAST_CACHE_DIR"
    elif [ -n "${CACHE_DIRECTORY:-}" ]; then
        printf '%s' "${CACHE_DIRECTORY%%:*}"
    elif [ -d "$FORKCAST_ROOT/lib/worker" ]; then
        printf '%s' /var/cache/forkcast
    else
        printf '%s' "$FORKCAST_ROOT/worker/target/aot"
    fi
}

# aot_parse ARGS...: from the arguments of `run`, sets AOT_WORKER_ARGS (the flags that shape the worker JVM, as
# --name=value), AOT_WORKER_JAVA, and AOT_CUSTOM=1 when the worker is not ours to train.
aot_parse() {
    AOT_WORKER_ARGS=() AOT_WORKER_JAVA="$JAVA_HOME/bin/java" AOT_CUSTOM=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --worker-java=* | --worker-jvm-options=*) AOT_WORKER_ARGS+=("$1") ;;
            --worker-java | --worker-jvm-options) AOT_WORKER_ARGS+=("$1=${2-}"); shift ;;
            --worker-classpath* | --worker-main* | --worker-aot-cache*) AOT_CUSTOM=1 ;;
        esac
        [ $# -gt 0 ] && shift
    done
    local a
    for a in ${AOT_WORKER_ARGS[@]+"${AOT_WORKER_ARGS[@]}"}; do
        case "$a" in --worker-java=*) AOT_WORKER_JAVA=${a#--worker-java=} ;; esac
    done
}

# aot_stamp: prints the hash that a cache must have been trained for.
aot_stamp() {
    {
        (
            IFS=:
            for jar in $WORKER_CP $SUPERVISOR_CP; do stat -L -c '%n %s %Y' "$jar"; done
        )
        "$AOT_WORKER_JAVA" -version 2>&1
        printf '%s\n' ${AOT_WORKER_ARGS[@]+"${AOT_WORKER_ARGS[@]}"}
    } | sha256sum | cut -d' ' -f1
}

# aot_untrusted PATH...: prints why the first untrusted PATH must not be used and returns 0; returns 1 when all
# are trusted: owned by this user (the server's) or root, and writable by neither group nor others. A JVM runs
# whatever code its AOT cache holds, so a cache someone else could have written is never loaded.
aot_untrusted() {
    local path owner mode me
    me=$(id -u)
    for path in "$@"; do
        [ -e "$path" ] || continue
        read -r owner mode < <(stat -L -c '%u %a' "$path")
        if [ "$owner" != "$me" ] && [ "$owner" != 0 ]; then
            echo "$path is owned by uid $owner, not by this server's uid $me or root"
            return 0
        fi
        if [ $((8#$mode & 8#022)) -ne 0 ]; then
            echo "$path is writable by group or others (mode $mode)"
            return 0
        fi
    done
    return 1
}

# aot_fresh DIR STAMP: true when DIR holds a cache trained for STAMP.
aot_fresh() {
    [ -f "$1/worker.aot" ] && [ "$(cat "$1/worker.aot.stamp" 2>/dev/null)" = "$2" ]
}

# aot_prepare RUN-ARGS...: sets AOT_CACHE to a fresh cache, training one if needed, and AOT_SUPERVISOR_CACHE to
# the supervisor's cache from the same training when there is one; returns 1 (having said why in one line,
# unless the worker is custom) when workers must start without a cache. A cache, its stamp and its directory
# must pass aot_untrusted; a fresh one in a directory this user cannot write (the unit's, trained by
# `forkcast aot --system` before the service starts) is used as it is and never retrained while serving.
aot_prepare() {
    AOT_CACHE="" AOT_SUPERVISOR_CACHE=""
    [ "${FORKCAST_AOT:-1}" = 0 ] && return 1
    aot_parse "$@"
    [ "$AOT_CUSTOM" = 1 ] && return 1
    local dir stamp lock why
    dir=$(aot_dir)
    [ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null || true
    if why=$(aot_untrusted "$dir"); then
        echo "forkcast: worker AOT cache off: $why; workers start without it" >&2
        return 1
    fi
    stamp=$(aot_stamp)
    if ! aot_fresh "$dir" "$stamp"; then
        if [ ! -d "$dir" ] || [ ! -w "$dir" ]; then
            echo "forkcast: worker AOT cache off: cannot write $dir (set FORKCAST_CACHE_DIR); workers start without it" >&2
            return 1
        fi
        exec {lock}>"$dir/.lock"
        # One launcher trains at a time; the others wait for it and then find the cache fresh.
        flock -w "$((AOT_TRAIN_TIMEOUT_SECONDS + 30))" "$lock" || true
        if ! aot_fresh "$dir" "$stamp"; then
            rm -f "$dir/worker.aot" "$dir/supervisor.aot" "$dir/worker.aot.stamp"
            local why started=$SECONDS
            echo "forkcast: training the workers' AOT cache: a practice server and two chat sessions, once per build" \
                "(about 20-60 s), so that every worker starts faster..." >&2
            if ! why=$(aot_train "$dir" 2>&1); then
                exec {lock}>&-
                echo "forkcast: worker AOT cache not built after $((SECONDS - started)) s (${why:-training failed}; log: $dir/train.log); workers start without it" >&2
                return 1
            fi
            printf '%s\n' "$stamp" >"$dir/worker.aot.stamp"
            echo "forkcast: AOT cache trained in $((SECONDS - started)) s ($dir)" >&2
        fi
        exec {lock}>&-
    fi
    if why=$(aot_untrusted "$dir/worker.aot" "$dir/worker.aot.stamp" "$dir/supervisor.aot"); then
        echo "forkcast: worker AOT cache off: $why; workers start without it" >&2
        return 1
    fi
    AOT_CACHE=$dir/worker.aot
    [ -f "$dir/supervisor.aot" ] && AOT_SUPERVISOR_CACHE=$dir/supervisor.aot
    return 0
}

# aot_system USER: run as root before the service starts (the unit's ExecStartPre=+): trains a cache as USER in
# a private directory when the one in aot_dir is stale, then installs it there owned by root, mode 0644, so that
# the service (which the unit also gives the directory read-only) can use it but never write it.
aot_system() {
    local user=$1 dir tmp stamp
    [ "$(id -u)" = 0 ] || die "aot --system runs as root (the unit's ExecStartPre=+)"
    id -u "$user" >/dev/null 2>&1 || die "aot --system: no user $user"
    [ "${FORKCAST_AOT:-1}" = 0 ] && return 0
    dir=$(aot_dir)
    mkdir -p "$dir"
    aot_parse
    stamp=$(aot_stamp)
    if aot_fresh "$dir" "$stamp" && ! aot_untrusted "$dir/worker.aot" "$dir/worker.aot.stamp" "$dir/supervisor.aot" >/dev/null; then
        return 0
    fi
    local launcher=$FORKCAST_ROOT/bin/forkcast
    [ -x "$launcher" ] || launcher=$FORKCAST_ROOT/scripts/forkcast
    tmp=$(mktemp -d /tmp/fcs.XXXXXX)
    chown "$user" "$tmp"
    if setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
        env FORKCAST_CACHE_DIR="$tmp" FORKCAST_NO_BUILD=1 JAVA_HOME="$JAVA_HOME" "$launcher" aot >&2 &&
        [ -f "$tmp/worker.aot" ]; then
        rm -f "$dir/worker.aot" "$dir/supervisor.aot" "$dir/worker.aot.stamp"
        for f in worker.aot supervisor.aot worker.aot.stamp train.log; do
            [ -f "$tmp/$f" ] && install -o root -g root -m 0644 "$tmp/$f" "$dir/$f"
        done
    else
        echo "forkcast: aot --system: training failed; workers start without a cache" >&2
    fi
    rm -rf "$tmp"
    return 0
}

# aot_describe: one line for reports: where the cache is and whether it is fresh.
aot_describe() {
    local dir
    dir=$(aot_dir)
    if [ "${FORKCAST_AOT:-1}" = 0 ]; then
        echo "AOT cache: off (FORKCAST_AOT=0)"
    elif [ -f "$dir/worker.aot" ]; then
        local sup=""
        [ -f "$dir/supervisor.aot" ] && sup=", supervisor.aot ($(($(stat -c %s "$dir/supervisor.aot") / 1048576)) MiB)"
        echo "AOT cache: $dir/worker.aot ($(($(stat -c %s "$dir/worker.aot") / 1048576)) MiB)$sup"
    else
        echo "AOT cache: none"
    fi
}

# aot_train DIR: the training run; writes DIR/worker.aot and DIR/train.log. On failure prints the reason.
aot_train() {
    local dir=$1 tmp sup port i pid
    tmp=$(mktemp -d /tmp/fca.XXXXXX) # short: Unix socket paths stop at 108 bytes
    local log=$dir/train.log
    local defaults
    # The options workers get by default, as the supervisor itself documents them.
    defaults=$("$JAVA_HOME/bin/java" "${SUPERVISOR_JVM_OPTS[@]}" -cp "$SUPERVISOR_CP" io.forkcast.supervisor.Main --help |
        sed -n '/--worker-jvm-options/{n;s/.*default: //p}')
    local opts=$defaults a
    for a in ${AOT_WORKER_ARGS[@]+"${AOT_WORKER_ARGS[@]}"}; do
        case "$a" in --worker-jvm-options=*) opts=${a#--worker-jvm-options=} ;; esac
    done
    # The training server is not the service: it must not talk to systemd, take its listener or answer the
    # supervisor that started this launcher in a planned restart.
    env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID -u LISTEN_FDS -u LISTEN_PID -u LISTEN_FDNAMES -u FORKCAST_HANDOVER_FD \
        "$JAVA_HOME/bin/java" "${SUPERVISOR_JVM_OPTS[@]}" -XX:AOTCacheOutput="$tmp/supervisor.aot" \
        -cp "$SUPERVISOR_CP" io.forkcast.supervisor.Main --bind 127.0.0.1 --port 0 --ws-port 0 --mqtt-port 0 --runtime-dir "$tmp/run" --state-dir "$tmp/state" \
        --pool-min-spare 2 --pool-max-spare 2 --worker-java "$AOT_WORKER_JAVA" \
        --worker-classpath "$WORKER_CP" --worker-jvm-options "$opts -XX:AOTCacheOutput=$tmp/worker-%p.aot" \
        </dev/null >"$tmp/out" 2>"$log" &
    sup=$!
    port=""
    for i in $(seq 300); do
        port=$(sed -n 's/^READY .*:\([0-9]*\)$/\1/p' "$tmp/out")
        [ -n "$port" ] || ! kill -0 "$sup" 2>/dev/null && break
        sleep 0.1
    done
    local ok=0 trainee=""
    if [ -n "$port" ] && trainee=$(aot_session "$port" 2>>"$log"); then
        # The trainee's JVM writes the cache as it exits (it starts a second JVM to assemble it): wait for it.
        for i in $(seq "$((AOT_TRAIN_TIMEOUT_SECONDS * 10))"); do
            kill -0 "$trainee" 2>/dev/null || break
            sleep 0.1
        done
        if [ -s "$tmp/worker-pid$trainee.aot" ] && cp "$tmp/worker-pid$trainee.aot" "$dir/worker.aot.new" &&
            mv "$dir/worker.aot.new" "$dir/worker.aot"; then
            ok=1
        fi
    fi
    kill -TERM "$sup" 2>/dev/null
    # The supervisor writes its own cache as it exits: a second JVM assembles it.
    for i in $(seq "$((AOT_TRAIN_TIMEOUT_SECONDS * 10))"); do kill -0 "$sup" 2>/dev/null || break; sleep 0.1; done
    if [ $ok = 1 ] && [ -s "$tmp/supervisor.aot" ] && cp "$tmp/supervisor.aot" "$dir/supervisor.aot.new"; then
        mv "$dir/supervisor.aot.new" "$dir/supervisor.aot"
    fi
    kill -KILL "$sup" 2>/dev/null
    # Workers and AOT assemblers of this run name its directory on their command line.
    for pid in $(grep -l -a -F -- "$tmp" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
        kill -KILL "$pid" 2>/dev/null
    done
    wait "$sup" 2>/dev/null
    rm -rf "$tmp"
    if [ $ok = 0 ]; then
        if [ -z "$port" ]; then echo "the training server did not start"; else echo "the training session failed"; fi
        return 1
    fi
}

# aot_session PORT: two telnet sessions through bash's /dev/tcp; prints the first one's worker pid.
aot_session() {
    local port=$1 a b pid_a i
    local LC_ALL=C
    exec {a}<>"/dev/tcp/127.0.0.1/$port" || return 1
    aot_expect "$a" '^Welcome to forkcast' || return 1
    pid_a=${AOT_LINE##*(pid }
    pid_a=${pid_a%%)*}
    exec {b}<>"/dev/tcp/127.0.0.1/$port" || return 1
    aot_expect "$b" '^Welcome to forkcast' || return 1
    aot_expect "$a" ' joined$' || return 1
    aot_say "$a" "/nick trainee" && aot_expect "$a" 'now known as trainee$' || return 1
    aot_expect "$b" 'is now known as trainee$' || return 1
    aot_say "$a" "/who" && aot_expect "$a" '\(you\)$' || return 1
    for i in 1 2 3 4 5; do
        aot_say "$b" "line $i from the other side" && aot_expect "$a" "line $i from the other side$" || return 1
        aot_say "$a" "line $i, with some text: élan ünïcödé" && aot_expect "$b" "line $i, with some" || return 1
    done
    aot_say "$a" "/me waves" && aot_expect "$b" '^\* trainee .* waves$' || return 1
    aot_say "$a" "//starts with a slash" && aot_expect "$b" '/starts with a slash$' || return 1
    aot_say "$a" "/help" && aot_expect "$a" '/quit' || return 1
    aot_say "$a" "/frobnicate" && aot_expect "$a" 'unknown command' || return 1
    printf '\377\375\006' >&"$a" # IAC DO TIMING-MARK: answered with IAC WILL TIMING-MARK
    aot_say "$a" "after the telnet option" && aot_expect "$b" 'after the telnet option$' || return 1
    aot_say "$b" "/quit" && aot_expect "$a" ' left$' || return 1
    aot_say "$a" "/quit" && aot_expect "$a" 'bye$' || return 1
    exec {a}>&- {b}>&-
    echo "$pid_a"
}

aot_say() {
    printf '%s\r\n' "$2" >&"$1"
}

# aot_expect FD REGEX: reads lines until one matches (AOT_LINE holds it); fails after 30 s or at end of stream.
aot_expect() {
    local fd=$1 re=$2 line deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
        IFS= read -r -t "$((deadline - SECONDS + 1))" -u "$fd" line || {
            echo "training: no line matching '$re'" >&2
            return 1
        }
        line=${line%$'\r'}
        if [[ $line =~ $re ]]; then
            AOT_LINE=$line
            return 0
        fi
    done
    echo "training: no line matching '$re' within 30 s" >&2
    return 1
}
