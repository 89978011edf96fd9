#!/bin/sh
# Runs the unit tests (Criterion) and the command-line tests, then prints one closing line
# `N passed, N failed` that sums both. Usage: tests/run_all.sh COHSIM UNIT_TEST_BINARY
set -u
cohsim=$1
units=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT

"$units" --jobs 2 >"$log" 2>&1
unit_status=$?
cat "$log"
# Criterion's synthesis line: "[====] Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N"
unit_pass=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -1)
unit_fail=$(sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p' "$log" | tail -1 |
            awk '{print $1 + $2}')
[ -n "$unit_pass" ] || unit_pass=0
[ -n "$unit_fail" ] || unit_fail=1

sh tests/cli/run.sh "$cohsim" >"$log" 2>&1
cli_status=$?
cat "$log"
cli_pass=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -1)
cli_fail=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -1)
[ -n "$cli_pass" ] || cli_pass=0
[ -n "$cli_fail" ] || cli_fail=1

passed=$((unit_pass + cli_pass))
failed=$((unit_fail + cli_fail))
[ "$unit_status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
[ "$cli_status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
