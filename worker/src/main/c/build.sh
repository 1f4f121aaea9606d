#!/usr/bin/env bash
# Builds the worker's JNI helper: build.sh SOURCE OUTPUT JAVA_HOME. Run by the worker module's Maven build
# (exec-maven-plugin, compile phase). Fails with one clear line when there is no C compiler.
set -euo pipefail
source=$1 output=$2 java_home=$3
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "forkcast: building the worker's JNI helper ($source) needs a C compiler, and '$cc' is not on PATH;" \
        "install gcc (Debian: apt-get install gcc) or point CC at one" >&2
    exit 1
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "forkcast: building the worker's JNI helper needs jni.h, not found under $java_home/include;" \
        "build with a full JDK" >&2
    exit 1
fi
mkdir -p "$(dirname "$output")"
exec "$cc" -O2 -Wall -Wextra -Werror -std=c11 -fPIC -shared \
    -I"$java_home/include" -I"$java_home/include/linux" -o "$output" "$source"
