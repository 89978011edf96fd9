#!/bin/sh
# Command-line tests. Two kinds:
#  - golden cases: tests/cli/cases/NAME.cmd is a shell command line in which `cohsim` is the
#    program under test; its stdout and stderr, then a line `[exit N]`, must equal NAME.expected.
#    `--regen` rewrites the .expected files from the current build (make regen).
#  - scripts: tests/cli/scripts/NAME.sh run with $COHSIM set; exit status 0 passes, 77 skips (the
#    script's last line of output says why, and the skip is counted apart), anything else fails
#    and the script's last commands and lines of output are shown. A passing script's lines of
#    output that start with `show: ` are shown (without the prefix): what a script measured, such
#    as the lockstep's counts.
# Every test runs from the repository root in a fresh temporary directory $TMP.
# The last line is `cli: N passed, N failed, N skipped`.
set -u
cohsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
regen=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
pass=0
fail=0
skip=0

for cmd in tests/cli/cases/*.cmd; do
    [ -e "$cmd" ] || continue
    name=${cmd%.cmd}
    tmp=$(mktemp -d)
    out=$(TMP=$tmp COHSIM=$cohsim sh -c "cohsim() { \"\$COHSIM\" \"\$@\"; }; . \"./$cmd\"" 2>&1; echo "[exit $?]")
    out=$(printf '%s\n' "$out" | sed "s#$tmp#\$TMP#g")
    rm -rf "$tmp"
    if [ "$regen" = "--regen" ]; then
        printf '%s\n' "$out" >"$name.expected"
        echo "regen $name"
        pass=$((pass + 1))
    elif [ -f "$name.expected" ] && [ "$out" = "$(cat "$name.expected")" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        printf '%s\n' "$out" | diff -u "$name.expected" - | head -40
    fi
done

# A script runs traced (sh -x), so a failure shows the command that failed with the output
# around it; and as most scripts send a command's output to a file in $TMP and then grep it, the
# newest such file's last lines are shown too.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for script in tests/cli/scripts/*.sh; do
    [ -e "$script" ] || continue
    [ "$regen" = "--regen" ] && continue
    tmp=$(mktemp -d)
    TMP=$tmp COHSIM=$cohsim ROOT=$root sh -x "$script" >"$log" 2>&1
    status=$?
    if [ "$status" -eq 0 ]; then
        pass=$((pass + 1))
        sed -n 's/^show: //p' "$log"
    elif [ "$status" -eq 77 ]; then
        skip=$((skip + 1))
        echo "SKIP $script: $(grep -v '^+' "$log" | tail -1)"
    else
        fail=$((fail + 1))
        echo "FAIL $script (exit $status); its last commands (+) and output:"
        tail -30 "$log"
        newest=$(ls -t "$tmp" | head -1)
        if [ -n "$newest" ] && [ -f "$tmp/$newest" ] && grep -Iq . "$tmp/$newest"; then
            echo "--- the last lines of \$TMP/$newest, the newest file it wrote:"
            tail -15 "$tmp/$newest"
        fi
    fi
    rm -rf "$tmp"
done

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
