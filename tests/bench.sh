#!/usr/bin/env bash
# bench.sh - whole-process figures for `make bench`: start-up to printed
# JSON (median of 50 runs) and peak resident memory.
set -euo pipefail
bin=${1:-./vramcalc}
runs=50
times=()
for ((i = 0; i < runs; i++)); do
	t0=$(date +%s%N)
	"$bin" -m kimi-k2.6 -q Q4_K_M -c 256K --json >/dev/null
	t1=$(date +%s%N)
	times+=($(((t1 - t0) / 1000)))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")
echo "bench: process start to printed JSON (kimi-k2.6, all devices fitted): median ${median} us over ${runs} runs"
if [ -x /usr/bin/time ]; then
	peak=$(/usr/bin/time -f '%M' "$bin" -m kimi-k2.6 -q Q4_K_M -c 256K --json 2>&1 >/dev/null | tail -1)
	echo "bench: peak resident memory: ${peak} KiB"
	peak=$(/usr/bin/time -f '%M' "$bin" --list models --json 2>&1 >/dev/null | tail -1)
	echo "bench: peak resident memory of --list models (whole catalog): ${peak} KiB"
else
	echo "bench: /usr/bin/time not installed (apt-get install time) - peak memory not measured"
fi
