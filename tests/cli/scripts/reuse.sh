# trace stats --reuse: the miss ratio curve from one pass of Mattson's algorithm equals, point by
# point, the misses of `cohsim run` with fully associative LRU caches of those sizes; one curve per
# --line; the SVG is well-formed with one curve per line size; --svg alone is refused.
set -eu
cd "$TMP"
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" | head -150000 >s.lackey
"$COHSIM" trace stats --reuse --line 64 --line 32 --svg curve.svg s.lackey >stats.txt
# the row of a cache size in the table of a line size
row() { awk -v line="$1" -v bytes="$2" '/^reuse, / { cur = ($2 == line "-byte") } cur && $1 == bytes { print $3; exit }' stats.txt; }
for point in 64:1024 64:4096 64:32768 32:2048 32:16384; do
    line=${point%:*} size=${point#*:}
    "$COHSIM" run -q -p dinero -c l1.line=$line -c l1.size=$size -c l1.assoc=$((size / line)) --json o.json s.lackey
    misses=$(python3 -c "import json; print(json.load(open('o.json'))['cores'][0]['caches']['l1']['misses']['total'])")
    [ "$(row $line $size)" = "$misses" ] || { echo "$line-byte lines, $size bytes: curve $(row $line $size), run $misses"; exit 1; }
done
python3 -c "
import xml.dom.minidom, sys
d = xml.dom.minidom.parse('curve.svg')
assert len(d.getElementsByTagName('polyline')) == 2
"
status=0; "$COHSIM" trace stats --svg x.svg s.lackey 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'give --reuse too' err.txt && [ ! -e x.svg ]
echo ok
