#!/bin/sh
# Every example of traces/examples/ and isa/examples/ (on the preset its header names) and every
# litmus test of tests/fixtures/litmus runs with --explain and --vcd: the log narrates events,
# the waveform is a VCD that GTKWave's vcd2fst reads (when installed), and the run prints exactly
# what it prints unobserved (statistics, registers, histogram, messages, exit status), whether the
# log goes to a file or to standard output ahead of them.
set -eu
cd "$ROOT"
have_vcd2fst=0
command -v vcd2fst >/dev/null && have_vcd2fst=1

# observe CMD FILE [ARGS...]: the three runs of one example, compared.
observe() {
    cmd=$1
    file=$2
    shift 2
    "$COHSIM" "$cmd" "$@" "$file" >"$TMP/plain" 2>&1 && rc=0 || rc=$?
    echo "[exit $rc]" >>"$TMP/plain"
    rm -f "$TMP/log" "$TMP/w.vcd"
    "$COHSIM" "$cmd" "$@" --explain-to "$TMP/log" --vcd "$TMP/w.vcd" "$file" >"$TMP/seen" 2>&1 \
        && rc=0 || rc=$?
    echo "[exit $rc]" >>"$TMP/seen"
    if ! cmp -s "$TMP/plain" "$TMP/seen"; then
        echo "$cmd $file: an observed run prints something else:"
        diff "$TMP/plain" "$TMP/seen" | head -10
        exit 1
    fi
    # the log to standard output comes ahead of the same output
    "$COHSIM" "$cmd" "$@" --explain "$file" >"$TMP/both" 2>&1 && rc=0 || rc=$?
    echo "[exit $rc]" >>"$TMP/both"
    if ! grep -v -e '^cycle ' -e '^# cohsim ' "$TMP/both" | cmp -s "$TMP/plain" -; then
        echo "$cmd $file: --explain changes what else is printed"
        exit 1
    fi
    cmp -s "$TMP/log" "$(grep -e '^cycle ' -e '^# cohsim ' "$TMP/both" >"$TMP/both.log"; echo "$TMP/both.log")" || {
        echo "$cmd $file: --explain and --explain-to differ"
        exit 1
    }
    [ "$(grep -c '^cycle ' "$TMP/log")" -ge 3 ] || { echo "$cmd $file: the log narrates nothing"; exit 1; }
    grep -q '^\$enddefinitions' "$TMP/w.vcd" || { echo "$cmd $file: no VCD header"; exit 1; }
    if [ "$have_vcd2fst" = 1 ] && ! vcd2fst "$TMP/w.vcd" "$TMP/w.fst" >/dev/null 2>&1; then
        echo "$cmd $file: vcd2fst cannot read the waveform"
        exit 1
    fi
    n=$((n + 1))
}

n=0
for f in traces/examples/*.trace; do
    preset=$(grep -o -e '--preset [a-z0-9-]*' "$f" | head -1 | cut -d' ' -f2)
    observe run "$f" --preset "${preset:-x86-2}"
done
for f in isa/examples/*.s; do
    preset=$(grep -o -e '--preset [a-z0-9-]*' "$f" | head -1 | cut -d' ' -f2)
    observe exec "$f" --preset "${preset:-x86-4}"
done
for f in tests/fixtures/litmus/*.litmus; do
    observe litmus "$f" --runs 100
done
echo "$n runs observed"
[ "$n" -ge 60 ]
