#!/bin/sh
# --inject: each deliberate protocol bug of model/faults.def, and what catches it (its last
# column): the invariant --check names, with the event that broke it; a litmus test reaching the
# outcome x86-TSO forbids (tests/fixtures/litmus/EXPECTED.tsv: Never); an example's stated load
# values or expect lines failing. Each is shown against the same command without the bug, which
# passes. An unknown name lists the known ones (exit 2).
set -u
fix=$ROOT/tests/fixtures
ex=$ROOT/traces/examples
fail() { echo "$*"; exit 1; }

# expect_exit STATUS PATTERN COMMAND...: COMMAND exits with STATUS and prints PATTERN (stdout or
# stderr, grep -E)
expect_exit() {
    want=$1 pat=$2
    shift 2
    out=$("$@" 2>&1)
    st=$?
    [ "$st" -eq "$want" ] || fail "exit $st, expected $want: $*: $out"
    echo "$out" | grep -Eq -- "$pat" || fail "no '$pat' in the output of $*: $out"
}

# unknown names: every known one is listed, with what it does
expect_exit 2 "no bug called 'bogus'" "$COHSIM" run --inject bogus "$ex/demo.trace"
for name in no-invalidate no-writeback sb-reorder no-drain-on-fence icache-no-snoop; do
    expect_exit 2 "^  $name " "$COHSIM" exec --inject no-writeback,bogus "$ROOT/isa/examples/jit.s"
done
expect_exit 2 "the known ones" "$COHSIM" litmus --inject '' "$fix/litmus/SB.litmus"

# no-invalidate: check mode's first invariant, a line writable in two cores, at the BusRdX
expect_exit 0 "" "$COHSIM" run -q --check "$ex/message_passing.trace"
expect_exit 1 "line 0x2000 is writable in cores 0 and 1 at once \(broken at cycle [0-9]+ by cpu0's store 0x2000 =1 leaving its store buffer: BusRdX 0x2000 by cpu0\)" \
    "$COHSIM" run -q --check --inject no-invalidate "$ex/message_passing.trace"
expect_exit 1 "writable in cores" "$COHSIM" run -q --check --inject no-invalidate "$ex/demo.trace"

# no-writeback: the evicted store is lost (the expect line fails); check mode names the loss
lost="-c l2.size=0 -c l1d.size=128 -c l1d.assoc=1 $fix/inject/lost_store.trace"
# shellcheck disable=SC2086 # $lost is options and a path without spaces
expect_exit 0 "" "$COHSIM" run -q --check $lost
# shellcheck disable=SC2086
expect_exit 1 "expect mem 0 8 failed: CPU 0 would read 0 \(0\), expected 7" \
    "$COHSIM" run -q --inject no-writeback $lost
# shellcheck disable=SC2086
expect_exit 1 "modified data leaves a core only by a write-back, but cpu0's L1D dropped line 0x0 in M without one.*BusRd 0x80 by cpu0" \
    "$COHSIM" run -q --check --inject no-writeback $lost

# sb-reorder: MP reaches its forbidden outcome; check mode names the out-of-order drain
grep -q '^MP	.*	Never	' "$fix/litmus/EXPECTED.tsv" || fail "EXPECTED.tsv: MP is not Never"
expect_exit 0 "^Observation MP Never 0 " "$COHSIM" litmus "$fix/litmus/MP.litmus"
expect_exit 0 "^Observation MP Sometimes [1-9]" "$COHSIM" litmus --inject sb-reorder "$fix/litmus/MP.litmus"
expect_exit 1 "stores leave a store buffer in program order, but cpu0's store 0x2000 =1 left before its older store 0x1000 =42" \
    "$COHSIM" run -q --check --inject sb-reorder "$ex/message_passing.trace"

# no-drain-on-fence: SB+mfences reaches its forbidden outcome; the message-passing example's
# fenced round reads a stale flag (check mode has no invariant for it: the caches stay coherent)
grep -q '^SB+mfences	.*	Never	' "$fix/litmus/EXPECTED.tsv" || fail "EXPECTED.tsv: SB+mfences is not Never"
expect_exit 0 "^Observation SB\+mfences Never 0 " "$COHSIM" litmus "$fix/litmus/SB+mfences.litmus"
expect_exit 0 "^Observation SB\+mfences Sometimes [1-9]" \
    "$COHSIM" litmus --inject no-drain-on-fence "$fix/litmus/SB+mfences.litmus"
expect_exit 1 "message_passing.trace:19: CPU 1 load 0x2008 read 0 \(0\), expected 1" \
    "$COHSIM" run -q --inject no-drain-on-fence "$ex/message_passing.trace"

# icache-no-snoop (x86): the patched code is fetched stale; check mode names the stale I-cache
expect_exit 0 "r7  = 42 " "$COHSIM" exec "$ROOT/isa/examples/jit_noflush.s"
expect_exit 0 "r7  = 0 " "$COHSIM" exec --inject icache-no-snoop "$ROOT/isa/examples/jit_noflush.s"
expect_exit 1 "the snooping I-cache holds stale bytes of line 0x10000 \(broken at cycle [0-9]+ by cpu0's store 0x10008 =0x2a00000702 leaving its store buffer\)" \
    "$COHSIM" exec --check --inject icache-no-snoop "$ROOT/isa/examples/jit_noflush.s"
expect_exit 0 "" "$COHSIM" exec --check "$ROOT/isa/examples/jit_noflush.s"

# the narrated log says the same, at the cycle of the event that broke it, after that event
"$COHSIM" run -q --check --inject no-invalidate --explain-to "$TMP/log" "$ex/message_passing.trace" 2>/dev/null
grep -q "^cycle 458  cpu0  check mode: an invariant is broken, the machine stops: line 0x2000 is writable in cores 0 and 1 at once" "$TMP/log" ||
    fail "no violation at cycle 458 in the log: $(cat "$TMP/log")"
grep -B1 "check mode: an invariant is broken" "$TMP/log" | head -1 | grep -q "^cycle 458  cpu0  L1D 0x2000 filled in M" ||
    fail "the violation does not follow the fill that broke it: $(cat "$TMP/log")"

# a run with bugs says so: in its statistics header and its JSON; one without says nothing
expect_exit 0 "^cohsim run: x86-2, 2 cores, MESI, 1 trace \(global issue order\); injected bugs: no-writeback, sb-reorder$" \
    "$COHSIM" run --inject sb-reorder,no-writeback --json "$TMP/bugs.json" "$ex/demo.trace"
grep -q '"injected_bugs":.*\["no-writeback", "sb-reorder"\]' "$TMP/bugs.json" || fail "no injected_bugs in the JSON"
"$COHSIM" run --json "$TMP/plain.json" "$ex/demo.trace" >"$TMP/plain.txt" || fail "run without bugs"
! grep -q "injected" "$TMP/plain.json" "$TMP/plain.txt" || fail "a run without bugs names some"
