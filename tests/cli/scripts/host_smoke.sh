# cohsim host with tiny sizes: the structure of the report and its invariants (not timings):
# new code runs after clear_cache (on this CPU and another), flushed pages read back from the
# disk, the pages msync cleaned equal the dirty pages (cachestat, where the kernel has it), DONTNEED after a flush empties the page cache (unless tmpfs), nothing is left on
# disk; and the hostile cases: one CPU, a directory that cannot take files, a full disk.
set -eu
# the first CPU this process may run on (CPU 0 need not be one of them, as in a cpuset)
first_cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
d=$TMP/dir
mkdir -p "$d"
"$COHSIM" host --quick --dir "$d" --json "$TMP/h.json" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/out" "$TMP/err"; exit 1; }
out=$TMP/out
for p in FlushInstructionCache FlushProcessWriteBuffers KeInvalidateAllCaches \
         ZwFlushVirtualMemory CcCoherencyFlushAndPurgeCache; do
    grep -q "^$p  \[" "$out" || { echo "no $p section"; cat "$out"; exit 1; }
done
! grep -q FAILED "$out" || { cat "$out"; exit 1; }
grep -q "stale runs 0 (expected 0)" "$out"
grep -q "every call after a rewrite returned the new value" "$out"
grep -q "rewrite + clear_cache, run on another CPU .*stale runs\( 0 (expected 0)\|: one CPU only\)" "$out"
grep -q "lines: model only" "$out"
tmpfs=0
[ "$(stat -f -c %T "$d")" = tmpfs ] && tmpfs=1
if [ "$tmpfs" -eq 0 ]; then
    # flushed content read back from the disk, not from the page cache
    [ "$(grep -c "last repetition read back right from the disk" "$out")" -eq 2 ] ||
        { cat "$out"; exit 1; }
    for n in 0 1 16; do
        grep -Eq "^  $n dirty pages?, size 0 .*pages written ($n \(expected $n\)|: cachestat\(2\) failed)" "$out" ||
            { grep dirty "$out"; echo "pages written differ for $n"; exit 1; }
    done
    grep -q "flush and purge .*resident after 0 (expected 0); resident before 16" "$out" ||
        { grep resident "$out"; exit 1; }
else
    grep -q "tmpfs" "$out"
fi
grep -q "CC_FLUSH_AND_PURGE_NO_PURGE).*resident after 16 (expected 16)" "$out"
# membarrier: no IPI with only this thread running; one per call with a second one (when the
# machine has two CPUs and /proc/interrupts counts them).
if grep -q "^FlushProcessWriteBuffers  \[ok\]" "$out"; then
    grep -Eq "1 running thread .*IPIs 0 \(expected 0\)|1 running thread .*IPIs: " "$out" ||
        { grep IPIs "$out"; exit 1; }
fi
grep -q "^staircase: ns per dependent load" "$out"
[ "$(grep -Ec '^ +[0-9]+ (KiB|MiB) +[0-9.]+ ns' "$out")" -eq 9 ] || { echo "staircase rows"; exit 1; }
[ -z "$(ls -A "$d")" ] || { echo "left behind:"; ls -la "$d"; exit 1; }
# --json: what was printed, as the host-results file compare reads back.
"$COHSIM" compare --host-results "$TMP/h.json" --max-bytes 8K >"$TMP/cmp" 2>&1 ||
    [ $? -eq 1 ] || { cat "$TMP/cmp"; exit 1; }
grep -q "^ZwFlushVirtualMemory  \[host ok" "$TMP/cmp" || { cat "$TMP/cmp"; exit 1; }

# One CPU: the 2-thread membarrier case says so; the rest still runs.
taskset -c "$first_cpu" "$COHSIM" host --quick --dir "$d" primitives >"$TMP/one" 2>&1
grep -q "one CPU only" "$TMP/one"
grep -q "run on another CPU .*stale runs: one CPU only" "$TMP/one"
grep -q "^ZwFlushVirtualMemory  \[ok\]" "$TMP/one"

# A directory that cannot take files: the two file primitives say why, the rest runs, exit 0.
"$COHSIM" host --quick --dir /proc primitives >"$TMP/ro" 2>&1
grep -q "^ZwFlushVirtualMemory  \[unavailable\]" "$TMP/ro"
grep -q "^CcCoherencyFlushAndPurgeCache  \[unavailable\]" "$TMP/ro"
grep -q "/proc: cannot create a file" "$TMP/ro"
grep -q "^FlushInstructionCache  \[ok\]" "$TMP/ro"
"$COHSIM" host --quick --dir "$TMP/missing" primitives >"$TMP/miss" 2>&1
grep -q "unavailable.*missing: No such file or directory" "$TMP/miss"

# A full disk, as a file-size limit: the files cannot be reserved; nothing is left behind.
(ulimit -f 8 && "$COHSIM" host --quick --dir "$d" primitives) >"$TMP/full" 2>&1
grep -q "cannot reserve .*File too large" "$TMP/full" || { cat "$TMP/full"; exit 1; }
grep -q "^KeInvalidateAllCaches  \[ok\]" "$TMP/full"
[ -z "$(ls -A "$d")" ] || { echo "left behind after a full disk"; ls -la "$d"; exit 1; }

# Bad usage.
set +e
"$COHSIM" host --max-bytes 3K 2>"$TMP/e1"; r1=$?
"$COHSIM" host nonsense 2>"$TMP/e2"; r2=$?
set -e
[ "$r1" -eq 2 ] || { echo "--max-bytes 3K: exit $r1"; exit 1; }
grep -q "power of two" "$TMP/e1"
[ "$r2" -eq 2 ] || { echo "host nonsense: exit $r2"; exit 1; }
grep -q "unknown measurement 'nonsense'" "$TMP/e2"
exit 0
