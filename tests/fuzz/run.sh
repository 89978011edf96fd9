#!/bin/sh
# Runs each libFuzzer target (make fuzz) for a while on a working copy of its corpus and saved
# inputs; prints per target the executions, the corpus size and what it found.
# Usage: tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
build=$1
seconds=$2
shift 2
status=0
for t in "$@"; do
    bin=$build/fuzz-bin/fuzz_$t
    work=$build/corpus/$t
    art=$build/artifacts/$t
    mkdir -p "$work" "$art"
    cp -n tests/fuzz/corpus/$t/* tests/fuzz/regressions/$t/* "$work"/ 2>/dev/null
    log=$build/fuzz_$t.log
    # -close_fd_mask=3: the targets' own messages are not the fuzzer's; -timeout: a hang is a
    # finding; -rss_limit_mb: so is memory that grows without bound.
    nice "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
        -print_final_stats=1 -artifact_prefix="$art/" "$work" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    found=$(ls "$art" | wc -l)
    echo "fuzz_$t: ${execs:-?} executions in ${seconds} s, corpus $(ls "$work" | wc -l) inputs, $found finding(s), exit $rc"
    [ "$rc" -eq 0 ] && [ "$found" -eq 0 ] || status=1
done
exit $status
