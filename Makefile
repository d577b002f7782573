# vramcalc - how much GPU memory does this LLM need?
#
#   make            build ./vramcalc
#   make deps       install the Debian packages the build and tests need
#   make run        build and open the TUI on the default model
#   make check      build and run every test (unit, accuracy, man page, TUI)
#   make sanitize   run the unit tests under ASan + UBSan
#   make valgrind   run the unit tests under valgrind (memcheck)
#   make bench      measure estimate speed, start-up time and peak memory
#   make fuzz       run the libFuzzer harnesses for a bounded time
#   make install / uninstall   honour PREFIX and DESTDIR

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/vramcalc
MANDIR   = $(PREFIX)/share/man/man1

CC      ?= cc
PKG_CONFIG ?= pkg-config
OPT     ?= -O2 -g
WERROR  ?=
CFLAGS  ?= $(OPT)
BASE_CFLAGS = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes $(if $(WERROR),-Werror) \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -I$(BUILD)

CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
CJSON_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS    := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
CRIT_CFLAGS   := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRIT_LIBS     := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null || echo -lcriterion)
DATA_LIBS      = $(CJSON_LIBS) -lm

BUILD ?= build
BIN   ?= vramcalc

# Layers: each directory knows only the ones above it in this list.
ENGINE_SRC = $(wildcard src/engine/*.c)
DATA_SRC   = $(wildcard src/data/*.c)
STATE_SRC  = $(wildcard src/state/*.c)
CLI_SRC    = $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
UI_SRC     = $(wildcard src/ui/*.c)
MAIN_SRC   = src/cli/main.c
TEST_SRC   = $(wildcard tests/unit/*.c) tests/truth.c

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
ENGINE_OBJ = $(call obj,$(ENGINE_SRC))
DATA_OBJ   = $(call obj,$(DATA_SRC))
STATE_OBJ  = $(call obj,$(STATE_SRC))
CLI_OBJ    = $(call obj,$(CLI_SRC))
UI_OBJ     = $(call obj,$(UI_SRC))
MAIN_OBJ   = $(call obj,$(MAIN_SRC))
TEST_OBJ   = $(call obj,$(TEST_SRC))
# Everything but curses: what the test runner links.
CORE_OBJ   = $(ENGINE_OBJ) $(DATA_OBJ) $(STATE_OBJ) $(CLI_OBJ)

.PHONY: FORCE all deps deps-fuzz run check test unit accuracy lint-man tui-test sanitize valgrind bench fuzz \
	install uninstall clean format

all: $(BIN)

$(BIN): $(CORE_OBJ) $(UI_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(CURSES_LIBS) $(SAN)

$(BUILD)/src/ui/%.o: src/ui/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN) $(CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/src/cli/main.o: src/cli/main.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN) $(CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests $(CFLAGS) $(SAN) $(CRIT_CFLAGS) $(CJSON_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN) $(CJSON_CFLAGS) -MMD -MP -c -o $@ $<

# The installed data directory is compiled in; config.h changes (and so
# profile.o is rebuilt) whenever PREFIX or DATADIR does.
$(BUILD)/config.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define VRAMCALC_DATADIR "%s"\n' '$(DATADIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/src/data/profile.o: $(BUILD)/config.h

FORCE:

# The unit-test runner links the engine, data, state and CLI layers and no
# curses: the proof that only src/ui touches the terminal.
$(BUILD)/test-runner: $(TEST_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(CRIT_LIBS) $(DATA_LIBS) $(SAN)

$(BUILD)/accuracy: $(BUILD)/tests/accuracy.o $(BUILD)/tests/truth.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(SAN)

# The speed model against real llama-bench results (tests/data/speed).
$(BUILD)/speedcheck: $(BUILD)/tests/speedcheck.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(SAN)

$(BUILD)/vllm-check: $(BUILD)/tests/vllm_check.o $(BUILD)/tests/truth.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(SAN)

$(BUILD)/realworld: $(BUILD)/tests/realworld.o $(BUILD)/tests/truth.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(SAN)

$(BUILD)/bench: $(BUILD)/tests/bench.o $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(SAN)

# The TUI benchmark renders real frames, so it links curses (and not the
# Criterion flags of the tests/%.o rule).
$(BUILD)/tests/bench_tui.o: tests/bench_tui.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN) $(CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/bench-tui: $(BUILD)/tests/bench_tui.o $(CORE_OBJ) $(UI_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DATA_LIBS) $(CURSES_LIBS) $(SAN)

DEB_PACKAGES = build-essential pkg-config libncurses-dev libcjson-dev time \
	libcriterion-dev groff-base mandoc tmux
FUZZ_PACKAGES = clang libclang-rt-14-dev

deps deps-fuzz:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	pkgs="$(if $(filter deps-fuzz,$@),$(FUZZ_PACKAGES),$(DEB_PACKAGES))"; \
	missing=; for p in $$pkgs; do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "all build and test dependencies are installed"; fi

run: vramcalc
	./vramcalc

check: vramcalc $(BUILD)/test-runner $(BUILD)/accuracy $(BUILD)/vllm-check $(BUILD)/speedcheck $(BUILD)/realworld
	$(BUILD)/test-runner
	$(BUILD)/accuracy
	$(BUILD)/vllm-check
	$(BUILD)/speedcheck
	$(BUILD)/realworld
	$(MAKE) --no-print-directory lint-man
	$(MAKE) --no-print-directory tui-test
	tests/install.sh

test: check

lint-man: vramcalc
	@out=$$(mandoc -T lint -W warning man/vramcalc.1 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	out=$$(groff -man -ww -z man/vramcalc.1 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "man/vramcalc.1: mandoc and groff lint clean"
	@missing=; for o in $$(./vramcalc --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do \
		grep -q -- "$$(echo "$$o" | sed 's/-/\\\\-/g')" man/vramcalc.1 || missing="$$missing $$o"; \
	done; \
	if [ -n "$$missing" ]; then echo "man/vramcalc.1 does not document:$$missing"; exit 1; fi; \
	echo "man/vramcalc.1: documents every option of --help"

tui-test: vramcalc
	@if [ -x tests/tui/run.sh ]; then tests/tui/run.sh ./vramcalc; fi

SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize:
	$(MAKE) --no-print-directory BUILD=build-san OPT="-O1 -g" SAN="$(SANFLAGS)" build-san/test-runner
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build-san/test-runner -j1

# The unit tests under valgrind's memcheck (every forked test worker too):
# any invalid access, use of uninitialised memory or definite leak fails.
VALGRIND_FLAGS = --quiet --trace-children=yes --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
valgrind: $(BUILD)/test-runner
	@command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 2; }
	valgrind $(VALGRIND_FLAGS) $(BUILD)/test-runner -j1

bench: $(BUILD)/bench $(BUILD)/bench-tui vramcalc
	$(BUILD)/bench
	VRAMCALC_PROFILE_PATH=profiles $(BUILD)/bench-tui
	@tests/bench.sh ./vramcalc

fuzz:
	@if [ -x tests/fuzz/run.sh ]; then tests/fuzz/run.sh; else echo "no fuzz harnesses yet"; fi

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/profiles/models $(DESTDIR)$(MANDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/vramcalc
	install -m 644 profiles/hardware.ini $(DESTDIR)$(DATADIR)/profiles/hardware.ini
	install -m 644 profiles/models/*.ini $(DESTDIR)$(DATADIR)/profiles/models/
	install -m 644 man/vramcalc.1 $(DESTDIR)$(MANDIR)/vramcalc.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vramcalc $(DESTDIR)$(MANDIR)/vramcalc.1
	rm -rf $(DESTDIR)$(DATADIR)

format:
	clang-format -i src/*/*.c include/*.h tests/unit/*.c

clean:
	rm -rf build build-san vramcalc

-include $(shell find $(BUILD) build-san -name '*.d' 2>/dev/null)
