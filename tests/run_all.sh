#!/bin/sh
# Runs the unit tests (Criterion) and the command-line tests for each build given, then prints one
# closing line `N passed, N failed` that sums them all.
# Usage: tests/run_all.sh COHSIM UNIT_TEST_BINARY [COHSIM UNIT_TEST_BINARY ...]
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0
while [ $# -ge 2 ]; do
    cohsim=$1
    units=$2
    shift 2
    echo "== $units and $cohsim"
    "$units" --jobs 2 >"$log" 2>&1
    unit_status=$?
    cat "$log"
    # Criterion's synthesis line: "[====] Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N"
    p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p' "$log" | tail -1 |
        awk '{print $1 + $2}')
    [ -n "$p" ] || p=0
    [ -n "$f" ] || f=1
    [ "$unit_status" -eq 0 ] || [ "$f" -gt 0 ] || f=1
    passed=$((passed + p))
    failed=$((failed + f))

    sh tests/cli/run.sh "$cohsim" >"$log" 2>&1
    cli_status=$?
    cat "$log"
    p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -1)
    [ -n "$p" ] || p=0
    [ -n "$f" ] || f=1
    [ "$cli_status" -eq 0 ] || [ "$f" -gt 0 ] || f=1
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
