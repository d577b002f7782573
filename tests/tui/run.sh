#!/usr/bin/env bash
# tests/tui/run.sh - drive the real vramcalc TUI in tmux and check what it
# shows against `vramcalc --json` for the same settings.
#
#   tests/tui/run.sh ./vramcalc
#
# Each run uses a private tmux server (-L, -f /dev/null), a fixed window
# size, LINES and COLUMNS unset (or ncurses keeps the old size after a
# resize) and HOME / XDG_CONFIG_HOME in a temporary directory.  One line per
# check, then "tui: N passed, M failed"; the exit status is non-zero when
# anything failed.  With TUI_CAPTURE_DIR=DIR each view's text is also
# written to DIR/<view>.txt (the README's captures).
set -u

BIN=${1:-./vramcalc}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
if ! command -v tmux >/dev/null 2>&1; then
	echo "tui: tmux not installed (make deps), skipped"
	echo "tui: 0 passed, 0 failed"
	exit 0
fi

SOCK=vramcalc-test-$$
TMP=$(mktemp -d /tmp/vramcalc-tui.XXXXXX)
export HOME=$TMP XDG_CONFIG_HOME=$TMP/config
# A machine without GPUs, whatever this one has: an nvidia-smi that fails
# and an empty root for sysfs and procfs.  The detection checks at the end
# put the fixture machines of tests/data/detect in front instead.
mkdir -p "$TMP/nogpu" "$TMP/noroot"
printf '#!/bin/sh\nexit 9\n' >"$TMP/nogpu/nvidia-smi"
chmod +x "$TMP/nogpu/nvidia-smi"
export PATH="$TMP/nogpu:$PATH" VRAMCALC_SYSROOT="$TMP/noroot"
FIX=$(pwd)/tests/data/detect
PASS=0
FAIL=0
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() {
	PASS=$((PASS + 1))
	echo "ok   $*"
}
fail() {
	FAIL=$((FAIL + 1))
	echo "FAIL $*"
}

# start NAME COLSxROWS ENV... -- ARGS...: a window running vramcalc, then
# a marker with its exit status once it returns.
start() {
	local name=$1 cols=$2 rows=$3
	shift 3
	local envs=() args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	args=("$@")
	local cmd
	cmd="cd '$PWD' && env -u LINES -u COLUMNS ${envs[*]} '$BIN' ${args[*]}; echo vramcalc-exit=\$?; sleep 60"
	if T has-session 2>/dev/null; then
		T new-window -d -n "$name" "$cmd"
	else
		T new-session -d -s tui -n "$name" -x "$cols" -y "$rows" "$cmd"
	fi
	T resize-window -t "tui:$name" -x "$cols" -y "$rows" 2>/dev/null
	W="tui:$name"
}

screen() { T capture-pane -p -t "$W"; }

# wait_for TEXT: until the screen shows TEXT (fixed string).
# Up to 10 s: a loaded CI machine can take seconds to start the program;
# a passing check returns as soon as the text appears.
wait_for() {
	for _ in $(seq 1 200); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# wait_change OLD: until the screen differs from OLD.
wait_change() {
	for _ in $(seq 1 60); do
		[ "$(screen)" != "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

keys() {
	local before
	before=$(screen)
	T send-keys -t "$W" "$@"
	wait_change "$before"
	sleep 0.05
}

# json_gib KEY ARGS...: "N.NN GiB" from the first "KEY": bytes of --json
# (bytes.total, placement.gpu).
json_gib() {
	local key=$1 bytes
	shift
	bytes=$(env -u LINES -u COLUMNS "$BIN" --json "$@" |
		sed -n "s/^[[:space:]]*\"$key\":[[:space:]]*\([0-9]*\).*/\1/p" | head -n 1)
	[ -n "$bytes" ] || return 1
	awk -v b="$bytes" 'BEGIN { printf "%.2f GiB\n", b / 1073741824 }'
}

# check_total WHAT ARGS...: the title shows the total and the GPU part that
# --json gives for ARGS.
check_total() {
	local what=$1
	shift
	local want gpu
	want=$(json_gib total "$@") && gpu=$(json_gib gpu "$@") || {
		fail "$what: vramcalc --json $* failed"
		return
	}
	if wait_for "total $want" && wait_for "GPU $gpu"; then
		ok "$what: total $want, GPU $gpu equal --json $*"
	else
		fail "$what: want 'total $want', 'GPU $gpu' (--json $*), screen shows '$(screen | head -n 1)'"
	fi
}

# capture NAME: keep the screen's text for the README when asked to.
capture() {
	if [ -n "${TUI_CAPTURE_DIR:-}" ]; then
		mkdir -p "$TUI_CAPTURE_DIR" && screen >"$TUI_CAPTURE_DIR/$1.txt"
	fi
}

# check_screen WHAT TEXT: the screen shows TEXT.
check_screen() {
	if wait_for "$2"; then ok "$1"; else fail "$1: '$2' not on screen"; fi
}

# slider LABEL SED-REGEX: a value read from a slider row.
slider() { screen | grep -E -- "$1" | head -n 1 | sed -E "s|$2|\\1|"; }

# SGR sequences with colour parameters (30-38, 40-48, 90-97, 100-107; 39 and
# 49, "default colour", are what tmux itself writes around every cell).
colour_codes() {
	T capture-pane -e -p -t "$W" | grep -oE $'\e\\[[0-9;]*m' | tr -d '\033[m' | tr ';' '\n' |
		grep -cE '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}

BASE=(-m qwen3-8b -q Q4_K_M -c 8192)
if ! err=$("$BIN" --json "${BASE[@]}" 2>&1 >/dev/null); then
	fail "vramcalc --json ${BASE[*]} does not run: $err"
	echo "tui: $PASS passed, $FAIL failed"
	exit 1
fi
start main 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${BASE[@]}"
check_total "start" "${BASE[@]}"
if [ "$FAIL" != 0 ]; then
	echo "tui: the view did not start; the screen shows:"
	screen | sed 's/^/    /'
	echo "tui: $PASS passed, $FAIL failed"
	exit 1
fi
capture main

# Quant: one step right from Q4_K_M (model, engine, then quant).
keys Down
keys Down
keys Right
Q=$(slider ' quant +' '.* quant +([A-Za-z0-9_-]+),.*')
[ "$Q" != Q4_K_M ] && [ -n "$Q" ] && ok "quant stepped to $Q" || fail "quant did not step ($Q)"
check_total "quant $Q" -m qwen3-8b -q "$Q" -c 8192

# Context: one step, then an exact typed value.
keys Down
keys Right
C=$(slider ' context +' '.* context +([0-9,]+[KM]?) of.*' | tr -d ,)
check_total "context $C" -m qwen3-8b -q "$Q" -c "$C"
keys 1
T send-keys -t "$W" 6 k Enter
check_total "context typed 16k" -m qwen3-8b -q "$Q" -c 16384

# Batch: two steps.
keys Down
keys Right
keys Right
B=$(slider ' batch +' '.* batch +([0-9]+) sequence.*')
[ "$B" = 3 ] && ok "batch stepped to 3" || fail "batch is '$B', want 3"
check_total "batch $B" -m qwen3-8b -q "$Q" -c 16384 -b "$B"

# Offload: N layers on the GPU, then one layer fewer.
keys Down
keys Down
keys Right
keys Down
keys Left
N=$(slider ' amount +' '.* amount +([0-9]+)/[0-9]+ layers on GPU.*')
[ -n "$N" ] && ok "offload ngl=$N" || fail "offload amount not shown"
check_total "offload ngl=$N" -m qwen3-8b -q "$Q" -c 16384 -b "$B" --offload "ngl=$N"
check_screen "host bar shown when offloaded" "host ["
capture offload

# Undo the amount step and the mode.
keys u
check_total "undo" -m qwen3-8b -q "$Q" -c 16384 -b "$B" --offload "ngl=$((N + 1))"
keys u
check_total "undo again" -m qwen3-8b -q "$Q" -c 16384 -b "$B"
keys U
check_total "redo" -m qwen3-8b -q "$Q" -c 16384 -b "$B" --offload "ngl=$((N + 1))"

# Every view opens and closes.
keys c
check_screen "compare view" "COMPARE every quantization"
capture compare
keys Escape
check_screen "compare closed" "HARDWARE by fit"
keys e
check_screen "explain view" "KV CACHE"
capture explain
keys q
check_screen "explain closed" "HARDWARE by fit"
keys p
check_screen "pin" "A pinned"
keys w
check_screen "what-if view" "WHAT-IF"
capture whatif
keys Escape
keys '?'
check_screen "help view" "KEYS"
capture help
keys Escape
keys F1
check_screen "F1 opens help too" "KEYS"
keys F1
check_screen "F1 again leaves help" "HARDWARE by fit"
keys /
check_screen "model picker" "pick a model"
capture picker
keys Escape
check_screen "picker closed" "HARDWARE by fit"

# The plan view: each solver's answer, the llama-server command exactly as
# --emit prints it for the same settings, and adopting the largest context.
PLAN=(-m qwen3-8b -q "$Q" -c 16384 -b "$B" --offload "ngl=$((N + 1))")
keys d
check_screen "plan view" "largest context"
capture plan
want=$(env -u LINES -u COLUMNS "$BIN" "${PLAN[@]}" --emit llama-server)
if [ -n "$want" ] && screen | grep -qxF -- "  $want"; then
	ok "plan: llama-server command equals --emit llama-server"
else
	fail "plan: '$want' (--emit llama-server) not on screen"
fi
want=$(env -u LINES -u COLUMNS "$BIN" "${PLAN[@]}" --emit vllm | head -n 1)
if [ -n "$want" ] && screen | grep -qxF -- "  $want"; then
	ok "plan: vllm command equals --emit vllm"
else
	fail "plan: '$want' (--emit vllm) not on screen"
fi
CTX=$(slider 'largest context +context' '.*largest context +context ([0-9,]+) tokens.*' | tr -d ,)
if [ -n "$CTX" ]; then
	keys Enter
	check_total "plan: adopted context $CTX" -m qwen3-8b -q "$Q" -c "$CTX" -b "$B" --offload "ngl=$((N + 1))"
	check_screen "plan: adoption confirmed" "adopted context"
else
	fail "plan: no context answer on screen"
fi
keys Escape
check_screen "plan closed" "HARDWARE by fit"
keys u
check_total "plan: adoption undone" "${PLAN[@]}"

# Save a named session.
keys s
T send-keys -t "$W" tui-test Enter
check_screen "save" "saved session 'tui-test'"
[ -f "$XDG_CONFIG_HOME/vramcalc/sessions/tui-test.ini" ] && ok "session file in XDG_CONFIG_HOME" ||
	fail "no $XDG_CONFIG_HOME/vramcalc/sessions/tui-test.ini"
# Saving under the same name asks first: n keeps the file, y replaces it.
SAVED="$XDG_CONFIG_HOME/vramcalc/sessions/tui-test.ini"
before=$(cat "$SAVED")
keys Up
keys Right
keys s
T send-keys -t "$W" tui-test Enter
check_screen "save over an existing session asks" "replace session 'tui-test'?"
keys n
check_screen "n keeps the saved session" "not saved: session 'tui-test' kept"
[ "$(cat "$SAVED")" = "$before" ] && ok "the saved file is unchanged after n" || fail "n changed $SAVED"
keys s
T send-keys -t "$W" tui-test Enter
check_screen "asked again" "replace session 'tui-test'?"
keys y
check_screen "y replaces it" "saved session 'tui-test'"
[ "$(cat "$SAVED")" != "$before" ] && ok "the saved file holds the new settings after y" || fail "y did not rewrite $SAVED"
keys u
check_screen "undo says what changed" "undone: "

# The hardware list's search: Tab, /, a name; n finds the next match.
keys Tab
keys /
check_screen "/ in the hardware list searches devices" "search the hardware list"
T send-keys -t "$W" h100 Enter
check_screen "hardware search selects a match" "'h100': "
first=$(screen | grep -F "'h100': ")
keys n
second=$(screen | grep -F "'h100': ")
[ -n "$second" ] && [ "$first" != "$second" ] && ok "n selects the next match ($second)" ||
	fail "n: '$first' then '$second'"
keys Tab

# Resize below the minimum and back.
T resize-window -t "$W" -x 50 -y 15
check_screen "too small notice" "terminal too small"
capture too-small
T resize-window -t "$W" -x 100 -y 30
check_screen "resized back" "total "
T resize-window -t "$W" -x 200 -y 60
check_screen "resized large" "HARDWARE by fit"

[ "$(colour_codes)" -gt 0 ] && ok "colour run uses colour" || fail "colour run shows no colour"

# q quits with status 0 and the terminal restored.
T send-keys -t "$W" q
check_screen "q exits with status 0" "vramcalc-exit=0"
[ "$(T display -p -t "$W" '#{alternate_on}')" = 0 ] && ok "alternate screen left" || fail "still on the alternate screen"

# The vLLM engine on two GPUs: the same numbers as --engine vllm, one bar
# per tensor-parallel rank, the budget stated.
VLLM=(-m qwen3-8b -c 8192 -g h100-sxmx2)
start vllm 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${VLLM[@]}"
check_total "vllm: llama.cpp start" "${VLLM[@]}"
keys Down
keys Right
check_total "vllm: engine switched" "${VLLM[@]}" --engine vllm -b 1
check_screen "vllm: one bar per rank" "rank 1"
check_screen "vllm: the budget is stated (vLLM's default 0.92)" "vLLM budget 92%"
want=$(env -u LINES -u COLUMNS "$BIN" "${VLLM[@]}" --engine vllm -b 1 --json |
	sed -n 's/^[[:space:]]*"kv_capacity_tokens":[[:space:]]*\([0-9]*\).*/\1/p' | head -n 1 |
	sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
check_screen "vllm: KV capacity as --json says ($want tokens)" "$want tokens, max concurrency"
capture vllm
T send-keys -t "$W" q
check_screen "vllm run exits 0" "vramcalc-exit=0"

# Speculative decoding with the MTP blocks: the slider shows --spec, moving
# it changes the totals as --json says, and a model without MTP blocks says so.
SPEC=(-m qwen3.6-27b -c 32k -g rtx-4090)
start spec 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${SPEC[@]}" --spec mtp:2
check_total "spec: --spec mtp:2" "${SPEC[@]}" --spec mtp:2
check_screen "spec: the slider row" "mtp:2 (draft 2 tokens)"
for _ in $(seq 1 14); do T send-keys -t "$W" Down; sleep 0.05; done
keys Left
check_total "spec: slider to mtp:1" "${SPEC[@]}" --spec mtp:1
keys Left
check_total "spec: slider to off" "${SPEC[@]}"
check_screen "spec: slider off" "spec MTP  off"
T send-keys -t "$W" q
check_screen "spec run exits 0" "vramcalc-exit=0"
start specnone 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- -m qwen3-8b -g rtx-4090
check_screen "spec: a model without MTP blocks says so" "off (no MTP blocks)"
T send-keys -t "$W" q

# A mixed device set: the plan view's speed comes from the evaluation, the
# devices in turn at their own bandwidth, as --print states it.
MIX=(-m llama-3.1-70b -c 4096 -g rtx-4090,rtx-3060-12gbx2)
start mixplan 140 50 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${MIX[@]}"
keys d
check_screen "mixed plan: speed of the split" "split    rtx-4090"
want=$(env -u LINES -u COLUMNS "$BIN" "${MIX[@]}" --print |
	sed -n 's/^ *decode   \(about [^,]*\),.*/\1/p' | head -n 1)
check_screen "mixed plan: decode as --print says ($want)" "decode   $want"
keys Escape
T send-keys -t "$W" q
check_screen "mixed run exits 0" "vramcalc-exit=0"

# Monochrome: NO_COLOR in UTF-8, --no-color in ASCII.
start mono 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 -- "${BASE[@]}"
check_total "NO_COLOR start" "${BASE[@]}"
n=$(colour_codes)
[ "$n" = 0 ] && ok "NO_COLOR: no colour codes" || fail "NO_COLOR: $n colour codes"
check_screen "NO_COLOR: KV cache has its own glyph" "▓ KV cache"
keys c
n=$(colour_codes)
[ "$n" = 0 ] && ok "NO_COLOR compare view: no colour codes" || fail "NO_COLOR compare: $n colour codes"
keys Escape
T send-keys -t "$W" q
check_screen "NO_COLOR run exits 0" "vramcalc-exit=0"

start ascii 100 30 LANG=C LC_ALL=C -- "${BASE[@]}" --no-color
check_screen "ASCII glyphs" "= KV cache"
capture ascii
n=$(colour_codes)
[ "$n" = 0 ] && ok "--no-color: no colour codes" || fail "--no-color: $n colour codes"
T send-keys -t "$W" q
check_screen "ASCII run exits 0" "vramcalc-exit=0"

# Detection: the view starts on the GPUs of the fixture machine (an RTX 4090
# and an RTX 3090), m ranks the catalog for them as --rank does, and Enter
# opens a ranked model at its quant.
start detected 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 "PATH=$FIX/bin-two:$PATH" \
	"VRAMCALC_SYSROOT=$FIX/root-host" -- -m llama-3.1-8b
check_screen "starts on the detected GPUs" "detected 2 kinds of GPU: a mixed set"
check_screen "the detected set has a bar per device" "2 devices, 1x RTX 4090"
check_screen "detected devices marked in the hardware list" "RTX 4090 (detected)"
# the same machine's --rank: two device ids, then the models
rank_json=$(PATH="$FIX/bin-two:$PATH" VRAMCALC_SYSROOT="$FIX/root-host" \
	env -u LINES -u COLUMNS "$BIN" --rank --json)
nth_model() { printf '%s\n' "$rank_json" | sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\(.*\)\",*$/\1/p" | sed -n "$2p"; }
id1=$(nth_model id 3)
id2=$(nth_model id 4)
q2=$(nth_model quant 2)
keys m
check_screen "m opens the models view for the detected set" "MODELS for 1x RTX 4090 (detected) (23.99 GiB) + 1x RTX 3090 (detected) (24.00 GiB) at 4K tokens"
if screen | sed -n 4p | grep -qF -- " $id1 "; then
	ok "models view ranks $id1 first, as --rank on the same machine"
else
	fail "models view: first row '$(screen | sed -n 4p)', --rank says $id1"
fi
capture models
keys j
keys Enter
PATH="$FIX/bin-two:$PATH" VRAMCALC_SYSROOT="$FIX/root-host" \
	check_total "Enter opens $id2 at $q2" -m "$id2" -q "$q2" -g auto
check_screen "status names the ranked quant" "$id2 at $q2: fits"
keys m
keys f
check_screen "f: only the models that fit" "fitting only"
keys Escape
T send-keys -t "$W" q
check_screen "detected run exits 0" "vramcalc-exit=0"

# -g auto on a machine without GPUs: a clear message and exit 2, before
# the terminal is touched.
start noauto 100 30 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- -g auto
check_screen "-g auto without GPUs names the failing source" "-g auto: no GPU detected: nvidia-smi: exited with status 9"
check_screen "-g auto without GPUs exits 2" "vramcalc-exit=2"
# device_gibs ARGS...: each device's need ("N.NN GiB", one a line, in split
# order) from the hardware[].devices[].total_bytes of --json.
device_gibs() {
	env -u LINES -u COLUMNS "$BIN" --json "$@" |
		sed -n 's/^[[:space:]]*"total_bytes":[[:space:]]*\([0-9]*\).*/\1/p' |
		awk '{ printf "%.2f GiB\n", $1 / 1073741824 }'
}
# screen_gibs: each device bar's need as the screen shows it.
# (the label after each bar: what it holds, then its need).
screen_gibs() {
	screen | grep -E '^gpu[0-9]' |
		grep -oE '(L[0-9]+-[0-9]+(\+out)?|output|no layers|rank [0-9]+) +[0-9]+\.[0-9]{2} GiB' |
		grep -oE '[0-9]+\.[0-9]{2} GiB'
}

# A mixed set: one bar per device, each need equal to --json's, the header
# GPU the sum of them; a and r add and remove a device in the hardware list.
MIXED=(-m llama-3.1-70b -c 32k -g rtx-4090,rtx-3060-12gbx2)
start mixed 160 50 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${MIXED[@]}"
check_total "mixed set" "${MIXED[@]}"
check_screen "mixed set: the header names each type" "3 devices, 1x RTX 4090"
want=$(device_gibs "${MIXED[@]}" | tr '\n' ' ')
got=$(screen_gibs | tr '\n' ' ')
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	ok "mixed set: per-device needs on screen equal --json ($got)"
else
	fail "mixed set: per-device needs on screen '$got', --json '$want'"
fi
capture mixed
keys Tab
keys a
check_screen "mixed set: a adds the selected device" "4 devices"
[ "$(screen_gibs | wc -l)" = 4 ] && ok "mixed set: a fourth bar" || fail "mixed set: $(screen_gibs | wc -l) bars after a"
keys r
check_screen "mixed set: r removes it again" "3 devices"
check_total "mixed set after a, r" "${MIXED[@]}"
T send-keys -t "$W" q
check_screen "mixed run exits 0" "vramcalc-exit=0"

# Host memory too small: the devices fit, the verdict says host memory.
HOST=(-m qwen3-30b-a3b -c 8192 --offload cpu-moe --host-ram 4G)
start hostram 120 40 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${HOST[@]}"
check_total "host memory short" "${HOST[@]}"
check_screen "host memory short: the verdict says so" "does not fit (host memory)"
check_screen "host memory short: the host bar says so" "of 4.00 GiB RAM, does not fit"
T send-keys -t "$W" q
check_screen "host memory run exits 0" "vramcalc-exit=0"

# The chart view at 80x24: the largest context (and batch) it marks is the
# answer of --solve context (--solve batch) for the same settings.
CHART=(-m llama-3.1-8b -q Q8_0 -c 8192 -g rtx-3060-12gb)
solved() {
	env -u LINES -u COLUMNS "$BIN" "${CHART[@]}" --solve "$1" 2>/dev/null |
		sed -n -e "s/.*solved: context \([0-9,]*\) tokens.*/\1/p" -e "s/.*solved: \([0-9,]*\) sequences.*/\1/p"
}
start chart 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${CHART[@]}"
check_screen "chart run starts" "total "
keys g
check_screen "g opens the chart view" "CHART GPU memory against context"
want=$(solved context)
[ -n "$want" ] && check_screen "chart: largest context equals --solve context ($want)" "largest context that fits: $want tokens" ||
	fail "chart: --solve context printed nothing"
check_screen "chart: the crossing is marked on the axis at $want" "▲ $want"
check_screen "chart: the capacity is labelled" "12.00 GiB ─"
capture chart
keys b
want=$(solved batch)
check_screen "chart: b switches to batch" "CHART GPU memory against batch"
[ -n "$want" ] && check_screen "chart: largest batch equals --solve batch ($want)" "largest batch that fits: $want sequence" ||
	fail "chart: --solve batch printed nothing"
keys Escape
check_screen "chart: Esc goes back" "GPU memory: 1x"
T send-keys -t "$W" q
check_screen "chart run exits 0" "vramcalc-exit=0"
start chartmono 80 24 LANG=C LC_ALL=C NO_COLOR=1 -- "${CHART[@]}"
check_screen "chart (ASCII, monochrome) starts" "total "
keys g
check_screen "chart (ASCII): capacity line and marker" "^ $(solved context)"
legend=$(screen | grep -F "largest that fits" | grep -F capacity)
[ -n "$legend" ] && [ "$(colour_codes)" = 0 ] && ok "chart (monochrome): a legend with a glyph per segment, no colour ($legend)" ||
	fail "chart (monochrome): legend '$legend', colour codes $(colour_codes)"
T send-keys -t "$W" q q
check_screen "chart mono run exits 0" "vramcalc-exit=0"

# Conventions: Ctrl-C quits with status 0; SIGTERM and SIGHUP restore the
# terminal; a terminal that cannot address the cursor is refused.
start ctrlc 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${BASE[@]}"
check_screen "ctrl-c run starts" "total "
T send-keys -t "$W" C-c
check_screen "Ctrl-C exits with status 0" "vramcalc-exit=0"
[ "$(T display -p -t "$W" '#{alternate_on}')" = 0 ] && ok "Ctrl-C: alternate screen left" || fail "Ctrl-C: still on the alternate screen"

for sig in HUP TERM; do
	start "sig$sig" 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${BASE[@]}"
	check_screen "SIG$sig run starts" "total "
	pp=$(T display -p -t "$W" '#{pane_pid}')
	vc=$(ps -o pid= --ppid "$pp" | tr -d ' ' | head -n 1)
	if [ -n "$vc" ]; then
		kill -s "$sig" "$vc"
		n=$(kill -l "$sig")
		check_screen "SIG$sig ends the program by the signal" "vramcalc-exit=$((128 + n))"
		[ "$(T display -p -t "$W" '#{alternate_on}')" = 0 ] && ok "SIG$sig: alternate screen left" ||
			fail "SIG$sig: still on the alternate screen"
	else
		fail "SIG$sig: no vramcalc process under pane $pp"
	fi
done

start dumb 80 24 TERM=dumb -- "${BASE[@]}"
check_screen "TERM=dumb exits 2" "vramcalc-exit=2"
check_screen "TERM=dumb: the message names the terminal" "the terminal 'dumb' cannot address the cursor"
check_screen "TERM=dumb: the message points to --print" "use --print"

# ---- 80x24, the baseline: every view usable, every value reachable, no
# prose cut inside a word.
#
# edge_cuts: the screen's lines that run to the last column and end in
# something that is not a whole word the program can print (a word cut at
# the edge, as "does not fit (nee" was).  The words: every printable run of
# the binary and the catalog's names.
WORDS=$TMP/words
{
	tr -c '[:print:]' '\n' <"$BIN"
	env -u LINES -u COLUMNS "$BIN" --list models
	env -u LINES -u COLUMNS "$BIN" --list hardware
} 2>/dev/null | tr -s ' ,;:()[]"=' '\n' | sort -u >"$WORDS"
edge_cuts() {
	local cols=$1 line tok
	screen | while IFS= read -r line; do
		line=${line%"${line##*[! ]}"}
		[ "${#line}" -ge "$cols" ] || continue
		tok=${line##* }
		tok=${tok%[),;:.]}
		tok=${tok#[(]}
		case $tok in
		*…) continue ;;           # shortened at a word, with an ellipsis
		*[![:ascii:]]*) continue ;; # bar, track and chart glyphs
		*[A-Za-z]*) grep -qxF -- "$tok" "$WORDS" || echo "$line" ;;
		esac
	done
}
# no_cuts WHAT: no line of the screen ends inside a word.
no_cuts() {
	local bad
	bad=$(edge_cuts 80)
	[ -z "$bad" ] && ok "80x24 $1: no line cut inside a word" || fail "80x24 $1: cut at the edge: $bad"
}
# scroll_all KEYS...: the screens from Home through PgDn to the end, one
# after the other (each view's whole text).
scroll_all() {
	local prev=""
	T send-keys -t "$W" "$@"
	sleep 0.2
	for _ in $(seq 1 40); do
		cur=$(screen)
		[ "$cur" = "$prev" ] && break
		printf '%s\n' "$cur"
		prev=$cur
		T send-keys -t "$W" NPage
		sleep 0.15
	done
}

start small 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- "${BASE[@]}"
check_total "80x24 main view" "${BASE[@]}"
for label in model engine quant context batch 'KV cache' offload amount GPU count util 'flash att' ubatch; do
	screen | grep -qE "^[ ▶]+$label " || fail "80x24: slider '$label' not on screen"
done
ok "80x24: every slider row on screen"
no_cuts "main view"
screen | tail -n 1 | grep -qF "f filter" && fail "80x24: the key bar offers f with no hardware list drawn" ||
	ok "80x24: the key bar offers no hardware-list keys while the list is not drawn"
capture small-main
# Tab draws the hardware list in place of the sliders, Enter adopts a row.
keys Tab
check_screen "80x24: Tab shows the hardware list" "HARDWARE by fit"
screen | grep -qE '^[ ▶]+quant ' && fail "80x24: sliders still drawn under the hardware list" ||
	ok "80x24: the hardware list takes the sliders' place"
check_screen "80x24: the bars stay below the list" "GPU memory: 1x"
screen | tail -n 1 | grep -qF "f filter" && ok "80x24: f on the key bar with the list drawn" ||
	fail "80x24: no f on the key bar with the list drawn: $(screen | tail -n 1)"
no_cuts "hardware list"
capture small-hardware
keys j
dev=$(screen | sed -n 5p | cut -c3-52 | sed 's/ *$//')
keys Enter
check_screen "80x24: Enter adopts $dev" "adopted"
keys Tab
if screen | grep -E '^[ ▶]+GPU ' | grep -qF -- "$dev"; then
	ok "80x24: Tab brings the sliders back, the GPU slider on $dev"
else
	fail "80x24: GPU slider '$(screen | grep -E '^[ ▶]+GPU ')', want $dev"
fi
keys u
check_total "80x24: undo the adoption" "${BASE[@]}"

# Compare: every quant reachable (End shows the last row), the current
# one's total and its fit whole, a bar per row.
keys c
check_screen "80x24 compare view" "COMPARE"
want=$(json_gib total "${BASE[@]}")
row=$(screen | grep -E '^\* Q4_K_M ')
case $row in
*"$want"*fits\ +*) ok "80x24 compare: Q4_K_M total $want and its fit whole ($row)" ;;
*) fail "80x24 compare: Q4_K_M row '$row', want $want and 'fits +'" ;;
esac
case $row in
*\[*┃*) ok "80x24 compare: a bar against the capacity" ;;
*) fail "80x24 compare: no bar in '$row'" ;;
esac
no_cuts "compare view"
capture small-compare
keys End
n=$(screen | grep -oE 'rows [0-9]+-[0-9]+ of [0-9]+' | head -n 1)
last=$(printf '%s' "$n" | sed -E 's/rows [0-9]+-([0-9]+) of ([0-9]+)/\1 \2/')
[ -n "$last" ] && [ "${last% *}" = "${last#* }" ] && ok "80x24 compare: End reaches the last quant ($n)" ||
	fail "80x24 compare: End shows '$n'"
no_cuts "compare view, its end"
keys Home
check_screen "80x24 compare: Home back to the first" "rows 1-"
keys Escape

# What-if: pin Q4_K_M, step the quant, and scroll the table: the totals of
# A and B equal --json, every row reachable with PgDn/End, the quant slider
# untouched by PgDn.
keys p
keys Down
keys Down
keys Right
Q=$(slider ' quant +' '.* quant +([A-Za-z0-9_-]+),.*')
keys w
check_screen "80x24 what-if view" "WHAT-IF"
a=$(json_gib total "${BASE[@]}")
b=$(json_gib total -m qwen3-8b -q "$Q" -c 8192)
if screen | grep -E '^total ' | grep -qF -- "$a" && screen | grep -E '^total ' | grep -F -- "$b" >/dev/null; then
	ok "80x24 what-if: total A $a (Q4_K_M), B $b ($Q) as --json"
else
	fail "80x24 what-if: total row '$(screen | grep -E '^total ')', want $a and $b"
fi
capture small-whatif
whatif=$(scroll_all Home)
for row in total 'GPU memory' 'host memory' weights 'KV cache' compute output overhead verdict model quant context batch ubatch; do
	printf '%s\n' "$whatif" | grep -qE "^$row " || fail "80x24 what-if: row '$row' not reachable with PgDn"
done
ok "80x24 what-if: every row reachable with PgDn"
[ "$(slider ' quant +' '.* quant +([A-Za-z0-9_-]+),.*')" = "$Q" ] && ok "80x24 what-if: PgDn left the quant at $Q" ||
	fail "80x24 what-if: PgDn moved the quant"
keys End
check_screen "80x24 what-if: End shows the last row" "ubatch"
no_cuts "what-if view"
keys Home
check_screen "80x24 what-if: Home shows the totals" "host memory"
keys Escape
keys P
keys u

# Explain and help: the whole text reachable, lines wrapped at words.
keys e
explain=$(scroll_all Home)
printf '%s\n' "$explain" | grep -qF "TOTAL $(json_gib total "${BASE[@]}")" &&
	ok "80x24 explain: the TOTAL line reachable, equal to --json" || fail "80x24 explain: no TOTAL line"
no_cuts "explain view"
keys Escape
keys F1
help=$(scroll_all Home | awk '/^                  [^ ]/ { sub(/^ +/, ""); buf = buf " " $0; next }
	{ if (buf != "") print buf; buf = $0 } END { print buf }')
for text in "a page down in lists, tables and text (the what-if table, the plan view's text); on a main-view slider, a big step down" \
	"SESSIONS  saved in"; do
	printf '%s\n' "$help" | grep -qF -- "$text" && ok "80x24 help: '${text:0:40}...' whole (wrapped at words)" ||
		fail "80x24 help: '$text' not whole"
done
no_cuts "help view"
capture small-help
keys Escape

# Plan: the launch command reachable with PgDn, exactly as --emit prints it.
keys d
check_screen "80x24 plan view" "largest context"
no_cuts "plan view"
capture small-plan
want=$(env -u LINES -u COLUMNS "$BIN" "${BASE[@]}" --emit llama-server)
plan=$(scroll_all)
printf '%s\n' "$plan" | grep -qxF -- "  $want" && ok "80x24 plan: PgDn reaches the llama-server command as --emit prints it" ||
	fail "80x24 plan: '$want' not reachable"
keys Escape

# Models and chart views fit too.
keys m
check_screen "80x24 models view" "MODELS"
no_cuts "models view"
keys Escape
keys g
check_screen "80x24 chart view" "CHART GPU memory against context"
no_cuts "chart view"
keys Escape
# The model picker: columns shorten at words with an ellipsis, and the
# selected model is whole below the list.
keys /
check_screen "80x24 model picker" "pick a model"
keys n e m o t r o n - 3 - u
check_screen "80x24 picker: the selected model whole below the list" \
	"nemotron-3-ultra-550b-a55b: Nemotron 3 Ultra 550B-A55B, 549.3B"
no_cuts "model picker"
keys Escape

# Below the minimum the notice is whole, wrapped at words (20x5).
T resize-window -t "$W" -x 20 -y 5
check_screen "20x5: the notice starts whole" "terminal too small:"
check_screen "20x5: the size needed whole" "20x5, need 64x24"
check_screen "20x5: how to quit" "q quits"
capture small-tiny
T resize-window -t "$W" -x 80 -y 24
check_screen "80x24 again" "total "
T send-keys -t "$W" q
check_screen "80x24 run exits 0" "vramcalc-exit=0"

# A configuration that does not fit, in vLLM, at 80x24: the verdict and the
# budget are whole (the issue saw "does not fit (nee" and "vLLM budget 90% =").
start smallnofit 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- -m llama-3.1-70b -q Q8_0 -c 32k -g rtx-4090
check_screen "80x24 does not fit: the total as --json" "total $(json_gib total -m llama-3.1-70b -q Q8_0 -c 32k -g rtx-4090)"
check_screen "80x24: the verdict whole" "does not fit (needs"
no_cuts "a verdict that does not fit"
T send-keys -t "$W" q
start smallvllm 80 24 LANG=C.UTF-8 LC_ALL=C.UTF-8 -- -m qwen3-8b -c 8192 -g h100-sxmx2 --engine vllm -b 1
check_screen "80x24 vLLM: the budget whole" "vLLM budget 92%"
no_cuts "vLLM"
T send-keys -t "$W" q

echo "tui: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
