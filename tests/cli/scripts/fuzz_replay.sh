#!/bin/sh
# Every fuzz target's corpus and every saved input that once crashed, hung or ran out of memory
# (tests/fuzz/corpus/T, tests/fuzz/regressions/T), replayed once through the target built with a
# plain main (make fuzz-replay) beside the cohsim under test: no crash, no sanitizer report, no
# hang (each target has a time bound). Skips when the replay binaries were not built.
set -u
case $COHSIM in
"$ROOT"/cohsim) build=$ROOT/build ;;
*) build=$(dirname "$COHSIM") ;;
esac
[ -d "$build/fuzz-replay" ] || { echo "SKIP no $build/fuzz-replay (make fuzz-replay)"; exit 77; }
cd "$ROOT" || exit 1
fail=0
for dir in tests/fuzz/corpus/*/; do
    t=$(basename "$dir")
    bin=$build/fuzz-replay/fuzz_$t
    [ -x "$bin" ] || { echo "FAIL: $bin is missing"; fail=1; continue; }
    saved=tests/fuzz/regressions/$t
    [ -d "$saved" ] || saved= # a target that has found nothing yet
    TMPDIR=$TMP timeout 120 "$bin" "$dir" ${saved:+"$saved"} >"$TMP/out" 2>&1
    status=$?
    if [ "$status" -ne 0 ] || grep -q 'Sanitizer\|runtime error' "$TMP/out"; then
        echo "FAIL: fuzz_$t (exit $status)"
        grep -m5 'Sanitizer\|runtime error\|replay:' "$TMP/out"
        fail=1
    else
        echo "fuzz_$t: $(grep 'replay:' "$TMP/out")"
    fi
done
[ "$fail" -eq 0 ]
