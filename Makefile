# cohsim: the one build entry point. `make` builds build/libcohsim.a and ./cohsim;
# `make test` sets up, builds and runs every test; `make demo` runs the built-in example.

# ---- knobs (V=1 shows every command) -----------------------------------------------------------------------------------
CC       ?= cc
OPT      ?= -O2
DEBUG    ?= -g
BUILD    ?= build
PROG     ?= cohsim
V        ?= 0
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
PKGS     := inih libcjson libzstd liblzma zlib
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wformat=2 -Wvla -Wundef -Wwrite-strings -Wold-style-definition \
            -Wimplicit-fallthrough -Wno-unused-parameter
# ----------------------------------------------------------------------------------------------

CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CPPFLAGS += -I. -MMD -MP
CFLAGS   := $(CSTD) $(OPT) $(DEBUG) $(WARNINGS) $(EXTRA_CFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(sort $(wildcard model/*.c model/*/*.c isa/*.c traces/*.c))
SIM_SRC  := $(sort $(wildcard sim/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libcohsim.a
# The program's objects minus main, so unit tests can exercise sim/ code too.
SIMLIB   := $(BUILD)/libcohsim-sim.a

.PHONY: all setup demo test unit cli check-model stress sanitize regen bench clean fuzz fuzz-replay
all: $(PROG)

# The RTL (Verilator) and SystemC parts, in their own fragments; RTL_PROGS and SYSTEMC_PROGS are
# programs the command-line tests run.
include model/rtl/rtl.mk
include sim/systemc/systemc.mk

setup:
	@sh scripts/setup.sh

ifeq ($(V),0)
Q := @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

# The step-through page's script (sim/html_run.js) as a C string literal that html_run.c includes.
$(BUILD)/gen/sim/html_run_js.inc: sim/html_run.js
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@
$(BUILD)/sim/html_run.o: $(BUILD)/gen/sim/html_run_js.inc
$(BUILD)/sim/html_run.o: CPPFLAGS += -I$(BUILD)/gen

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(SIMLIB): $(filter-out $(BUILD)/sim/main.o,$(SIM_OBJ))
	@rm -f $@
	$(Q)ar rcs $@ $^

$(PROG): $(BUILD)/sim/main.o $(SIMLIB) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/unit-tests: $(TEST_OBJ) $(SIMLIB) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

demo: setup
	@$(MAKE) --no-print-directory $(PROG)
	./cohsim run --preset x86-2 traces/examples/demo.trace

# Unit tests (Criterion) and command-line tests, on the release build and again under
# AddressSanitizer and UndefinedBehaviorSanitizer; the last line is `N passed, N failed, N skipped`.
# build/o0/cohsim is the -O0 build that tests/cli/scripts/determinism.sh compares with.
SAN_MAKE = $(MAKE) --no-print-directory BUILD=build/san PROG=build/san/cohsim OPT=-O1 \
	    EXTRA_CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)"
SAN_ENV  = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

test: setup
	@$(MAKE) --no-print-directory $(PROG) $(BUILD)/unit-tests fuzz-replay $(RTL_PROGS) $(SYSTEMC_PROGS)
	@$(MAKE) --no-print-directory BUILD=build/o0 PROG=build/o0/cohsim OPT=-O0 build/o0/cohsim
	@$(SAN_MAKE) build/san/cohsim build/san/unit-tests fuzz-replay build/san/rtl/lockstep \
	    build/san/systemc/platform build/san/systemc/rtl_platform
	@$(MAKE) --no-print-directory stress
	@$(SAN_ENV) sh tests/run_all.sh ./$(PROG) $(BUILD)/unit-tests build/san/cohsim build/san/unit-tests

unit: $(PROG) $(BUILD)/unit-tests
	$(BUILD)/unit-tests

cli: $(PROG) $(RTL_PROGS) $(SYSTEMC_PROGS)
	@sh tests/cli/run.sh ./$(PROG)

# The model's invariant checker over randomised multicore traces (also part of `make test`).
check-model: $(PROG)
	@tmp=$$(mktemp -d) && TMP=$$tmp COHSIM=$(CURDIR)/$(PROG) ROOT=$(CURDIR) \
	    sh tests/cli/scripts/check_model.sh; status=$$?; rm -rf $$tmp; \
	    [ $$status -eq 0 ] && echo "check-model: every invariant held" || exit $$status

# The stress build (also part of `make test`): every machine cut to one-entry store buffers and
# two-set caches with the invariant checker on (model/machine.c, COHSIM_STRESS), run over the
# randomised model checks: the unit tests of random traffic and check_model.sh. Their numbers
# differ from a normal build's, so only checks that hold for any geometry run here.
STRESS_MAKE = $(MAKE) --no-print-directory BUILD=build/stress PROG=build/stress/cohsim \
	      EXTRA_CFLAGS=-DCOHSIM_STRESS
stress:
	@$(STRESS_MAKE) build/stress/cohsim build/stress/unit-tests
	@build/stress/unit-tests --filter 'invariants/*' && \
	    build/stress/unit-tests --filter 'fast_paths/*'
	@tmp=$$(mktemp -d) && TMP=$$tmp COHSIM=$(CURDIR)/build/stress/cohsim ROOT=$(CURDIR) \
	    sh tests/cli/scripts/check_model.sh; status=$$?; rm -rf $$tmp; \
	    [ $$status -eq 0 ] && echo "stress: every invariant held" || exit $$status

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: setup
	@$(SAN_MAKE) build/san/cohsim build/san/unit-tests fuzz-replay build/san/rtl/lockstep \
	    build/san/systemc/platform build/san/systemc/rtl_platform
	@$(SAN_ENV) sh tests/run_all.sh build/san/cohsim build/san/unit-tests

# Rewrite the golden outputs of the command-line tests from the current build.
regen: $(PROG)
	@sh tests/cli/run.sh ./$(PROG) --regen

# The benchmark of issue 8 (never part of `make test`): the release build on large deterministic
# inputs made in build/bench; prints a table and writes build/bench.json. BENCH_RECORDS=3e7 and
# BENCH_RUNS=5 by default (bench/bench.sh).
BENCH_TOOLS := $(BUILD)/bench/tracegen $(BUILD)/bench/timeit
bench: $(PROG) $(BENCH_TOOLS)
	@sh bench/bench.sh ./$(PROG) $(BUILD)/bench $(BUILD)/bench.json

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -I. $(CFLAGS) $< -o $@

# Fuzz targets (tests/fuzz/): one per parser (traces, config, assembly, litmus, sweep specs, host
# results files), the text trace's round trip through the writers, and the machine with its
# checker. `make fuzz` builds them with clang's libFuzzer, ASan and UBSan in build/fuzz and runs
# each for FUZZ_SECONDS on a copy of its corpus (tests/fuzz/corpus/T and the saved inputs of
# tests/fuzz/regressions/T); findings go to build/fuzz/artifacts/T. `make test` replays every
# corpus and saved input through the same targets built with a plain main (fuzz-replay,
# tests/cli/scripts/fuzz_replay.sh).
FUZZ_SECONDS ?= 60
FUZZ_FORMATS := auto text binary din xdin lackey champsim
FUZZ_TARGETS := $(FUZZ_FORMATS:%=trace_%) roundtrip config asm litmus machine sweep host_results
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/fuzz_%)
FUZZ_LIBFUZZER := $(FUZZ_TARGETS:%=build/fuzz/fuzz-bin/fuzz_%)
FUZZ_SUPPORT := $(BUILD)/tests/fuzz/fuzz_util.o
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

fuzz-replay: $(FUZZ_REPLAY)
# Objects of pattern rules chained to pattern rules: keep them (make would delete them).
.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/replay.o $(FUZZ_SUPPORT)

# One reader target per format: the same source, FUZZ_FORMAT naming the format (auto: detect).
$(BUILD)/tests/fuzz/fuzz_trace_%.o: tests/fuzz/fuzz_trace.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< ($*)")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(if $(filter auto,$*),,-DFUZZ_FORMAT='"$*"') \
	    -c $< -o $@

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o \
                             $(FUZZ_SUPPORT) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/fuzz-bin/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_SUPPORT) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $^ $(LDLIBS) -o $@

fuzz: setup
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 \
	    EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_LIBFUZZER)
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf build cohsim

-include $(LIB_OBJ:.o=.d) $(SIM_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(wildcard $(BUILD)/tests/fuzz/*.d) \
         $(wildcard $(BUILD)/systemc/*.d $(BUILD)/rtl/*.d)
