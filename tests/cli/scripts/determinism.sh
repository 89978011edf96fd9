#!/bin/sh
# Determinism: the same inputs and seed give byte-identical JSON from two runs of the build under
# test, from the -O0 build (build/o0/cohsim, which `make test` builds; its comparison is skipped
# when it is absent), and from a compressed or piped copy of the input. Covers run (with jitter),
# --compat dinero and cachegrind, exec and litmus.
set -u
fail() { echo "FAIL: $*"; exit 1; }
o0=$ROOT/build/o0/cohsim
cd "$TMP" || exit 1
ref=$ROOT/tests/fixtures/reference
cp "$ROOT/traces/examples/message_passing.trace" mp.trace
xz -dc "$ref/sort.din.xz" | head -20000 >sort.din
xz -dc "$ref/sort.lackey.xz" | head -20000 >sort.lackey
# name | command line (JSON to $1)
cases='run_x86	run -q --preset x86-4 -c sim.jitter=20 --seed 3 mp.trace --json
run_x86_2	run -q --preset x86-2 --check mp.trace --json
dinero	run -q --compat dinero --format din sort.din --json
cachegrind	run -q --compat cachegrind --format lackey sort.lackey --json
exec	exec --seed 5 ROOT/isa/examples/producer_consumer.s --json
litmus	litmus --runs 60 --seed 9 ROOT/tests/fixtures/litmus/SB.litmus --json'
printf '%s\n' "$cases" | while IFS='	' read -r name cmd; do
    cmd=$(printf '%s' "$cmd" | sed "s#ROOT#$ROOT#g")
    # shellcheck disable=SC2086
    "$COHSIM" $cmd "$name.a.json" >/dev/null 2>"$name.err" || fail "$name: $(cat "$name.err")"
    "$COHSIM" $cmd "$name.b.json" >/dev/null 2>&1 || fail "$name: second run"
    cmp -s "$name.a.json" "$name.b.json" || fail "$name: two runs differ"
    if [ -x "$o0" ]; then
        "$o0" $cmd "$name.o0.json" >/dev/null 2>&1 || fail "$name: the -O0 build failed"
        cmp -s "$name.a.json" "$name.o0.json" || fail "$name: the -O0 build differs"
    fi
done || exit 1
# The same trace compressed, and through a pipe, under the same name.
mkdir -p xz pipe
xz -c mp.trace >xz/mp.trace
"$COHSIM" run -q --preset x86-4 -c sim.jitter=20 --seed 3 xz/mp.trace --json xz.json || fail "xz"
sed 's#xz/mp.trace#mp.trace#' xz.json | cmp -s run_x86.a.json - || fail "the xz copy differs"
[ -x "$o0" ] || { echo "SKIP the -O0 comparison: no $o0 (make test builds it)"; exit 77; }
echo ok
