# host litmus runs every read-modify-write form the model's litmus front end takes (LOCK DEC,
# XOR, OR, CMPXCHG, locked or not). One thread on one CPU is deterministic: a test whose single
# final state is known by hand must reach it on the host in every iteration, as on the model.
# With two CPUs, the locked tests of tests/fixtures/litmus-lock that herd forbids are never
# observed, and `compare` finds the host's states among the model's for every one of them.
set -eu
if [ "$(uname -m)" != x86_64 ]; then
    echo "host litmus runs need an x86-64 host; this one is $(uname -m)"
    exit 77
fi
first_cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
cd "$TMP"
# x: 12 ^ 10 = 6, | 1 = 7, - 1 = 6; y: 0 ^ 6 | 8 = 14; z: -1; w: 0 == EAX so w = 7; then
# EAX 5 != 7: EAX = 7 (EDX keeps it), w unchanged; then EAX 7 == w: w = EBX = 1.
cat >rmw1.litmus <<'L'
X86 RMW1
"One thread: each read-modify-write form, locked and not, with a known final state"
{ x=0; y=0; z=0; w=0; }
 P0                   ;
 MOV [x],$12          ;
 LOCK XOR [x],$10     ;
 MOV EBX,$1           ;
 LOCK OR [x],EBX      ;
 XOR [y],$6           ;
 OR [y],$8            ;
 LOCK DEC [x]         ;
 DEC [z]              ;
 MOV EAX,$0           ;
 MOV ECX,$7           ;
 LOCK CMPXCHG [w],ECX ;
 MOV EAX,$5           ;
 CMPXCHG [w],EBX      ;
 MOV EDX,EAX          ;
 MOV EAX,$7           ;
 CMPXCHG [w],EBX      ;
 MOV ESI,$3           ;
 XOR ESI,$5           ;
 OR ESI,$8            ;
 LOCK XOR [y],EBX     ;
 LOCK OR [z],ECX      ;
exists (x=6 /\ y=15 /\ z=-1 /\ w=1 /\ 0:EDX=7 /\ 0:EAX=7 /\ 0:ESI=14)
L
taskset -c "$first_cpu" "$COHSIM" host litmus -n 2000 rmw1.litmus >host.out
grep -qx 'States 1' host.out || { cat host.out; exit 1; }
grep -qx 'Observation RMW1 Always 2000 0' host.out || { cat host.out; exit 1; }
"$COHSIM" litmus rmw1.litmus >model.out
grep -q '^Observation RMW1 Always ' model.out || { cat model.out; exit 1; }
# the same single state, as both print it
[ "$(grep '^[0-9]* *\*>' host.out | sed 's/^[0-9]* *//')" = \
  "$(grep '^[0-9]* *\*>' model.out | sed 's/^[0-9]* *//')" ]
# A wrong expectation is seen as wrong: the runner does not just echo the condition.
sed 's/w=1 /w=7 /' rmw1.litmus >wrong.litmus
taskset -c "$first_cpu" "$COHSIM" host litmus -n 100 wrong.litmus >wrong.out
grep -qx 'Observation RMW1 Never 0 100' wrong.out || { cat wrong.out; exit 1; }
if [ "$(nproc)" -lt 2 ]; then
    echo "the 2-thread locked tests need a second CPU"
    exit 77
fi
F=$ROOT/tests/fixtures/litmus-lock
never=$(awk -F'\t' 'NR > 1 && $3 == "Never" {print $1}' "$F/EXPECTED.tsv")
[ "$(echo $never | wc -w)" -ge 6 ]
files=""
for t in $never; do files="$files $F/$t.litmus"; done
# shellcheck disable=SC2086
"$COHSIM" host litmus -n 20000 --size 1000 $files >never.out
for t in $never; do
    grep -qx "Observation $t Never 0 20000" never.out ||
        { grep -A12 "^Test $t " never.out; echo "$t: forbidden outcome seen on the host"; exit 1; }
done
# compare: the host side of the injected host results plus these tests run on the host
# shellcheck disable=SC2086
"$COHSIM" compare --preset x86-2 --host-results "$ROOT/tests/fixtures/host/results.json" \
    --json c.json $files >c.out || [ $? -eq 1 ]
for t in $never; do
    grep -q "^  $t  *model  *[0-9]* states, host  *[0-9]* states: subset$" c.out ||
        { grep -A3 '^litmus' c.out; echo "$t: not compared as a subset"; exit 1; }
done
grep -q 'no form for it' c.out never.out && exit 1
exit 0
