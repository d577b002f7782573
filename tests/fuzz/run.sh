#!/bin/sh
# run.sh - build every libFuzzer harness in tests/fuzz and run each one for
# a bounded time.  `make fuzz` calls this.
#
#   FUZZ_SECONDS=30   seconds per harness (default 30)
#   FUZZ_RUNS=N       stop each harness after N executions instead
#   FUZZ_ONLY=NAME    run only fuzz_NAME
#   CC_FUZZ=clang     compiler (needs -fsanitize=fuzzer: clang)
#
# Each harness tests/fuzz/fuzz_NAME.c is linked under ASan + UBSan with the
# sources listed in sources_for below (default: the engine and data layers)
# and run on the seed directories of seeds_for; the working corpus, log
# and any crash artifacts go to build/fuzz/NAME/.  Exits non-zero if any
# harness fails to build or finds a crash, leak, timeout or out-of-memory.
set -u

cd "$(dirname "$0")/../.." || exit 2
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
CC_FUZZ=${CC_FUZZ:-clang}
OUT=build/fuzz

# Sources a harness links (by NAME of fuzz_NAME.c).
sources_for() {
	case "$1" in
	gguf) echo "src/engine/*.c src/data/gguf*.c" ;;
	session) echo "src/engine/*.c src/data/*.c src/state/*.c" ;;
	cli) echo "src/engine/*.c src/data/*.c src/state/*.c src/cli/options.c" ;;
	*) echo "src/engine/*.c src/data/*.c" ;;
	esac
}

# Seed directories of a harness.
seeds_for() {
	case "$1" in
	gguf) echo "tests/data/truth/gguf tests/data/gguf-bad" ;;
	config) echo "tests/data/truth/configs tests/data/json-bad" ;;
	safetensors) echo "tests/data/safetensors" ;;
	profile) echo "profiles/models tests/data/profiles-bad tests/data/hostile" ;;
	*) [ -d "tests/fuzz/seeds/$1" ] && echo "tests/fuzz/seeds/$1" ;;
	esac
}

if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
	echo "run.sh: $CC_FUZZ not found (install clang)" >&2
	exit 2
fi

# profile.c includes the generated config.h (the installed data directory).
mkdir -p "$OUT"
printf '#define VRAMCALC_DATADIR "/usr/local/share/vramcalc"\n' >"$OUT/config.h"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Iinclude -I$OUT $(pkg-config --cflags libcjson 2>/dev/null)"
LIBS="$(pkg-config --libs libcjson 2>/dev/null || echo -lcjson) -lm"

# Every source any harness links is compiled once (instrumented for the
# fuzzer but without libFuzzer's main), two at a time; each harness then
# only compiles its own file and links.  Compiling each source per harness
# took ten times as long.
OBJ=$OUT/obj
mkdir -p "$OBJ"
OBJFLAGS=$(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,/')
export CC_FUZZ OBJFLAGS OBJ
# shellcheck disable=SC2016
if ! ls src/engine/*.c src/data/*.c src/state/*.c src/cli/options.c |
	xargs -P 2 -I{} sh -c 'o="$OBJ/$(echo "{}" | tr / _ | sed "s/\.c$/.o/")"; $CC_FUZZ $OBJFLAGS -c -o "$o" "{}" || { echo "== compile of {} FAILED" >&2; exit 255; }'; then
	echo "run.sh: a source failed to compile for the fuzzers" >&2
	exit 1
fi

# The objects of sources_for NAME.
objects_for() {
	for f in $(sources_for "$1"); do
		echo "$OBJ/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')"
	done
}

status=0
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || { echo "run.sh: no harnesses"; exit 0; }
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	[ -n "${FUZZ_ONLY:-}" ] && [ "$name" != "$FUZZ_ONLY" ] && continue
	dir=$OUT/$name
	mkdir -p "$dir/corpus" "$dir/artifacts"
	echo "== fuzz_$name: linking"
	# shellcheck disable=SC2086
	if ! $CC_FUZZ $CFLAGS -o "$dir/fuzz_$name" "$src" $(objects_for "$name") $LIBS; then
		echo "== fuzz_$name: BUILD FAILED" >&2
		status=1
		continue
	fi
	seeds=$(seeds_for "$name")
	echo "== fuzz_$name: ${FUZZ_SECONDS}s on seeds: ${seeds:-none}"
	# shellcheck disable=SC2086
	limit="-max_total_time=$FUZZ_SECONDS"
	[ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS"
	# shellcheck disable=SC2086
	"$dir/fuzz_$name" $limit -timeout=10 -rss_limit_mb=2048 \
		-malloc_limit_mb=512 -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" "$dir/corpus" $seeds >"$dir/log" 2>&1
	rc=$?
	grep -E '^(stat::|#[0-9]+ +DONE|Done)' "$dir/log" | tail -12
	if [ $rc -ne 0 ]; then
		echo "== fuzz_$name: FAILED (exit $rc); see $dir/log and $dir/artifacts/" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$dir/log" >&2
		status=1
	else
		echo "== fuzz_$name: ok"
	fi
done
exit $status
