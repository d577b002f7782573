#!/usr/bin/env bash
# install.sh - `make install` and `make uninstall` honour PREFIX and DESTDIR,
# and an installed vramcalc finds its installed profiles.  Builds once into
# a temporary directory (the DATADIR is compiled in), so the source tree's
# ./vramcalc is left alone.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # description, command...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok   $what"
		pass=$((pass + 1))
	else
		echo "FAIL $what"
		fail=$((fail + 1))
	fi
}
mk() { make --no-print-directory -s BUILD="$tmp/build" BIN="$tmp/vramcalc" PREFIX="$tmp/prefix" "$@"; }

mk DESTDIR="$tmp/stage" install >/dev/null 2>"$tmp/log" || cat "$tmp/log"
stage="$tmp/stage$tmp/prefix"
check "DESTDIR stages the binary" test -x "$stage/bin/vramcalc"
check "DESTDIR stages the hardware profiles" test -f "$stage/share/vramcalc/profiles/hardware.ini"
check "DESTDIR stages every model profile" \
	test "$(ls "$stage/share/vramcalc/profiles/models" | wc -l)" -eq "$(ls profiles/models | wc -l)"
check "DESTDIR stages the man page" test -f "$stage/share/man/man1/vramcalc.1"
check "nothing lands under PREFIX itself with DESTDIR" test ! -e "$tmp/prefix"

mk install >/dev/null 2>"$tmp/log" || cat "$tmp/log"
list=$(cd / && env -u VRAMCALC_PROFILE_PATH XDG_CONFIG_HOME="$tmp/no-config" \
	"$tmp/prefix/bin/vramcalc" --list models 2>&1)
check "the installed binary finds its installed profiles" \
	grep -q "shipped  $tmp/prefix/share/vramcalc/profiles/models/llama-3.1-8b.ini" <<<"$list"
out=$(cd / && env -u VRAMCALC_PROFILE_PATH XDG_CONFIG_HOME="$tmp/no-config" \
	"$tmp/prefix/bin/vramcalc" -m kimi-k2.6 -q Q4_K_M -c 256K --json 2>&1)
check "the installed binary estimates (Kimi K2.6 weights)" grep -q '"weights":	620550916096' <<<"$out"

mk uninstall >/dev/null 2>&1
check "uninstall removes the binary" test ! -e "$tmp/prefix/bin/vramcalc"
check "uninstall removes the profiles" test ! -e "$tmp/prefix/share/vramcalc"
check "uninstall removes the man page" test ! -e "$tmp/prefix/share/man/man1/vramcalc.1"

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
