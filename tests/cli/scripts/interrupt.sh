#!/bin/sh
# SIGINT and SIGTERM: a run on an endless trace stops at a record boundary, prints and writes the
# statistics so far marked "interrupted" with the records reached, and exits 130 or 143; trace
# convert leaves neither its output nor a temporary file. The signal comes after two seconds of an
# endless generator, so no count is assumed: only that some records were reached.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 1
endless() { yes "$1"; }
# run, SIGINT and SIGTERM
for sig in INT TERM; do
    want=$([ $sig = INT ] && echo 130 || echo 143)
    endless '0 load 0x40 8' | timeout --preserve-status -s $sig 2 \
        "$COHSIM" run --json run.json - >table 2>err
    status=$?
    [ "$status" -eq "$want" ] || fail "run: SIG$sig gave exit $status, expected $want"
    grep -q "^cohsim: run: SIG$sig after [1-9][0-9]* records: the statistics so far" err ||
        fail "run: SIG$sig message: $(cat err)"
    grep -q 'l1d' table || fail "run: no statistics table after SIG$sig"
    grep -q '"interrupted":[[:space:]]*true' run.json || fail "run.json is not marked interrupted"
    n=$(sed -n 's/^cohsim: run: SIG[A-Z]* after \([0-9]*\) records.*/\1/p' err)
    grep -q "\"records\":[[:space:]]*$n," run.json || fail "run.json records differ from $n"
done
# --compat
endless '0 40' | timeout --preserve-status -s INT 2 \
    "$COHSIM" run --compat dinero --format din -q --json dinero.json - 2>err
[ $? -eq 130 ] || fail "--compat dinero: exit $? after SIGINT"
grep -q '"interrupted":[[:space:]]*true' dinero.json || fail "dinero.json is not marked"
# trace convert: nothing left behind
endless '0 load 0x40 8' | timeout --preserve-status -s TERM 2 \
    "$COHSIM" trace convert - out.bin --to binary 2>err
[ $? -eq 143 ] || fail "trace convert: exit $? after SIGTERM"
grep -q 'trace convert: SIGTERM after [0-9]* records: out.bin not written' err ||
    fail "convert message: $(cat err)"
# (into a variable: a file the shell made for the listing could be listed itself)
listed=$(ls -A | sort | tr '\n' ' ')
[ "$listed" = "dinero.json err run.json table " ] || fail "files left behind: $listed"
echo ok
