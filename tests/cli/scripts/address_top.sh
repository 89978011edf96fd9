#!/bin/sh
# The top line of the address space: an access there runs and checks like any other. The --check
# line loop once wrapped from the top line to 0 and never ended; a flush of the top range covered
# nothing. Each run has a time bound, so a hang fails the test instead of stalling the suite.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cat >"$TMP/top.trace" <<'T'
0 store 0xffffffffffffffc0 1 =7
0 store 0xfffffffffffffff0 8 =9
1 load 0xfffffffffffffff0 8
0 fence
1 load 0xffffffffffffffc0 1 =7
0 FlushInstructionCache self 0xffffffffffffff00 0xff
T
for opt in "" --check; do
    timeout 20 "$COHSIM" run $opt -q --json "$TMP/top.json" "$TMP/top.trace" >"$TMP/out" 2>&1
    status=$?
    [ "$status" -eq 0 ] || { cat "$TMP/out"; fail "run $opt at the top line: exit $status"; }
done
grep -q '"FlushInstructionCache"' "$TMP/top.json" || fail "no FlushInstructionCache counted"
echo "ok"
