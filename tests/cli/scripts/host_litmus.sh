# host litmus: the forbidden 2-thread x86 tests are never observed on the host (bounded
# iterations); SB's relaxed outcome is (a positive control that the threads really race);
# every iteration is counted once; more threads than CPUs and bad input are reported.
set -eu
if [ "$(uname -m)" != x86_64 ]; then
    echo "host litmus runs need an x86-64 host; this one is $(uname -m)"
    exit 77
fi
# the first CPU this process may run on (CPU 0 need not be one of them, as in a cpuset)
first_cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
F=$ROOT/tests/fixtures/litmus
forbidden=$(awk -F'\t' 'NR>1 && $2==2 && $4=="Forbidden"{print $1}' "$F/EXPECTED.tsv")
[ -n "$forbidden" ] || { echo "no forbidden 2-thread tests in EXPECTED.tsv"; exit 1; }
files=""
for t in $forbidden; do files="$files $F/$t.litmus"; done
cpus=$(nproc)
# shellcheck disable=SC2086
"$COHSIM" host litmus -n 20000 --size 1000 $files >"$TMP/forbidden.out" 2>"$TMP/forbidden.err" ||
    { cat "$TMP/forbidden.out" "$TMP/forbidden.err"; echo "host litmus exited $?"; exit 1; }
for t in $forbidden; do
    if [ "$cpus" -ge 2 ]; then
        grep -qx "Observation $t Never 0 20000" "$TMP/forbidden.out" ||
            { grep -A12 "^Test $t " "$TMP/forbidden.out"; echo "$t: forbidden outcome seen"; exit 1; }
    else
        grep -q "^Skipped: 2 threads but 1 CPU" "$TMP/forbidden.out" || exit 1
    fi
done
if [ "$cpus" -ge 2 ]; then
    "$COHSIM" host litmus -n 200000 "$F/SB.litmus" >"$TMP/sb.out"
    pos=$(sed -n 's/^Positive: \([0-9]*\) Negative: \([0-9]*\)$/\1 \2/p' "$TMP/sb.out")
    set -- $pos
    [ "$1" -gt 0 ] || { cat "$TMP/sb.out"; echo "SB's relaxed outcome never seen"; exit 1; }
    [ $(($1 + $2)) -eq 200000 ] || { echo "SB counted $1 + $2 iterations"; exit 1; }
    # the histogram's counts add up to the iterations too
    sum=$(awk '/^[0-9]+ *[*:]>/{s+=$1} END{print s}' "$TMP/sb.out")
    [ "$sum" -eq 200000 ] || { echo "histogram sums to $sum"; exit 1; }
fi
# One CPU: a 2-thread test is skipped with a message, not run oversubscribed.
taskset -c "$first_cpu" "$COHSIM" host litmus -n 1000 "$F/SB.litmus" >"$TMP/one.out"
grep -q "^Skipped: 2 threads but 1 CPU: never more test threads than CPUs" "$TMP/one.out"
# A 4-thread test on a machine with fewer CPUs is skipped too (exit 0).
"$COHSIM" host litmus -n 1000 "$F/IRIW.litmus" >"$TMP/iriw.out"
[ "$cpus" -ge 4 ] || grep -q "^Skipped: 4 threads but $cpus CPU" "$TMP/iriw.out"
# Bad input: the file and line are named, exit 2.
printf 'X86 bad\n{\n}\n P0 ;\n FOO [x] ;\nexists (0:EAX=0)\n' >"$TMP/bad.litmus"
set +e
"$COHSIM" host litmus "$TMP/bad.litmus" 2>"$TMP/bad.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "bad file: exit $rc"; exit 1; }
grep -q "bad.litmus:5:" "$TMP/bad.err" || { cat "$TMP/bad.err"; exit 1; }
"$COHSIM" host litmus 2>/dev/null && exit 1
if [ "$cpus" -lt 2 ]; then
    echo "the 2-thread races (forbidden outcomes never seen, SB's relaxed one seen) need a second CPU"
    exit 77
fi
exit 0
