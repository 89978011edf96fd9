# --compat cachegrind on a Lackey trace of a real program (md5sum) gives the nine counters that
# Valgrind's own Cachegrind reports for the same run. Both runs use an empty environment so that
# the program's memory layout, hence its trace, is the same.
set -eu
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind is not installed (scripts/setup.sh installs it)"
    exit 77
fi
vg=$(command -v valgrind)
cd "$TMP"
head -c 30000 "$ROOT/tests/fixtures/reference/sort.din.xz" >input.bin
env -i "$vg" --tool=lackey --trace-mem=yes --log-file=md5.lackey /usr/bin/md5sum input.bin >/dev/null
env -i "$vg" --tool=cachegrind --cache-sim=yes --cachegrind-out-file=md5.cg \
    --I1=32768,8,64 --D1=32768,8,64 --LL=1048576,16,64 /usr/bin/md5sum input.bin >/dev/null 2>&1
grep -q '^events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw' md5.cg
want=$(sed -n 's/^summary: //p' md5.cg | awk '{print $1,$2,$3,$4,$5,$6,$7,$8,$9}')
"$COHSIM" run --compat cachegrind --format lackey md5.lackey --json cg.json >table.txt
# The table's last line is "Ir N  I1mr N ... DLmw N"; the JSON carries the same numbers.
got=$(tail -1 table.txt | awk '$1 == "Ir" {print $2,$4,$6,$8,$10,$12,$14,$16,$18}')
for k in Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw; do
    grep -q "\"$k\":" cg.json || { echo "cg.json lacks $k"; exit 1; }
done
echo "valgrind cachegrind: $want"
echo "cohsim --compat:     $got"
[ -n "$want" ] && [ "$want" = "$got" ]
