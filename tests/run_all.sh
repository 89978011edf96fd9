#!/bin/sh
# Runs the unit tests (Criterion) and the command-line tests for each build given, then prints one
# closing line `N passed, N failed, N skipped` that sums them all. A skipped test (Criterion's
# cr_skip_test, a CLI script that exits 77) is counted apart: never as a pass.
# Usage: tests/run_all.sh COHSIM UNIT_TEST_BINARY [COHSIM UNIT_TEST_BINARY ...]
set -u
log=$(mktemp)
tap=$(mktemp)
trap 'rm -f "$log" "$tap"' EXIT
passed=0
failed=0
skipped=0
while [ $# -ge 2 ]; do
    cohsim=$1
    units=$2
    shift 2
    echo "== $units and $cohsim"
    "$units" --jobs 2 --tap="$tap" >"$log" 2>&1
    unit_status=$?
    cat "$log"
    # Criterion's synthesis line leaves skipped tests out; its TAP report names them.
    grep '# SKIP' "$tap" | sed 's/^ok - /SKIP /'
    s=$(grep -c '# SKIP' "$tap")
    skipped=$((skipped + s))
    # Criterion's synthesis line: "[====] Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N"
    p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p' "$log" | tail -1 |
        awk '{print $1 + $2}')
    [ -n "$p" ] || p=0
    [ -n "$f" ] || f=1
    [ "$unit_status" -eq 0 ] || [ "$f" -gt 0 ] || f=1
    passed=$((passed + p))
    failed=$((failed + f))

    # The build's own directory, where scripts find its other programs (build/rtl/lockstep).
    COHSIM_BUILD=$(cd "$(dirname "$units")" && pwd) sh tests/cli/run.sh "$cohsim" >"$log" 2>&1
    cli_status=$?
    cat "$log"
    p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -1)
    s=$(sed -n 's/^cli: .* failed, \([0-9]*\) skipped.*/\1/p' "$log" | tail -1)
    [ -n "$s" ] || s=0
    skipped=$((skipped + s))
    [ -n "$p" ] || p=0
    [ -n "$f" ] || f=1
    [ "$cli_status" -eq 0 ] || [ "$f" -gt 0 ] || f=1
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
