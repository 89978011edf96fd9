# Messages of issue 22: counts agree in number, one core shows no protocol or bus, run says how
# many stated values and expect lines passed, -f is --format in run, compare lists --seed once,
# calibrate lists no litmus options, and run --help lists every operation of model/ops.def.
set -eu
cd "$TMP"
printf '0 store 0x40 8 =1\n1 load 0x40 8 =1\n1 store 0x40 8 =2\n0 fence\nexpect mem 0x40 8 =2\n' >one.trace
"$COHSIM" run -p x86-2 -c storebuf.entries=0 one.trace >out.txt
grep -q ' 1 invalidation, ' out.txt
grep -q '^checks passed: 1 stated load value, 1 expect line$' out.txt
printf '0 load 0x40 8\n0 store 0x80 8\n' >solo.trace
"$COHSIM" run -p cachegrind solo.trace >solo.txt
head -1 solo.txt | grep -q '^cohsim run: cachegrind, 1 core, 1 trace (global issue order)$'
! grep -q 'coherence:\|MESI' solo.txt
! grep -q 'checks passed' solo.txt
"$COHSIM" run -q -f text solo.trace
[ "$("$COHSIM" compare --help | grep -c -- '--seed')" = 1 ]
"$COHSIM" compare --help | grep -q -- '--host-seed'
! "$COHSIM" calibrate --help | grep -q -- '--iterations\|--seed\|--size'
# every row of the operation table (OP and PRIM rows), by its spelling
"$COHSIM" run --help >help.txt
sed -n 's/^\(OP\|PRIM\)([A-Z_]*, *"\([^"]*\)".*/\2/p' "$ROOT/model/ops.def" | while read -r op; do
    grep -q "^  $op  " help.txt || { echo "run --help lacks $op"; exit 1; }
done
echo ok
