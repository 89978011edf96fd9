# trace convert: an output that is the input is refused and the input is left as it was; Lackey's
# 1- to 15-byte instruction fetches convert to text and run as the Lackey trace does; converting
# to din says on stderr what it loses, with counts; an output named .gz, .xz or .zst is written
# compressed (the system's decompressors give the plain output back).
set -eu
# The same statistics: the documents equal but for the traces' names and formats.
same_stats() {
    python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    for t in d.get("traces", []):
        t.pop("name", None), t.pop("format", None)
sys.exit(a != b)' "$1" "$2"
}
cd "$TMP"
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" | head -20000 >s.lackey
cp s.lackey keep.lackey
ln s.lackey hard.lackey
ln -s s.lackey soft.lackey
for out in s.lackey hard.lackey soft.lackey; do
    status=0; "$COHSIM" trace convert s.lackey $out --to text 2>err.txt || status=$?
    [ "$status" -eq 2 ] && grep -q "is the input s.lackey" err.txt
    cmp s.lackey keep.lackey
done
# ifetch sizes 1..15 in text: read, written, and run as the Lackey trace runs
"$COHSIM" trace convert s.lackey s.txt --to text
grep -q ' ifetch 0x[0-9a-f]* 3$' s.txt
"$COHSIM" run -q -p cachegrind --json a.json s.lackey
"$COHSIM" run -q -p cachegrind --json b.json s.txt
same_stats a.json b.json
printf '0 ifetch 0x10 15\n0 ifetch 0x20 1\n' >if.trace
"$COHSIM" trace stats if.trace | grep -q 'bytes accessed          16'
printf '0 load 0x10 3\n' >bad.trace
status=0; "$COHSIM" trace stats bad.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "bad.trace:1: bad size '3': expected 1, 2, 4, 8, 16, 32 or 64" err.txt
printf '0 ifetch 0x10 16\n0 ifetch 0x10 17\n' >bad.trace
status=0; "$COHSIM" trace stats bad.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "bad.trace:2: bad size '17'" err.txt
# lackey -> din: 4 records change bytes (L 1001,2; S 103e,4; the two halves of M 2000,8), one of
# them moves lines (103e..1041 crosses into the next line), the two modify halves lose their mark
printf 'I  00001000,4\n L 00001001,2\n S 0000103e,4\n M 00002000,8\n L 00003000,4\n' >small.lackey
"$COHSIM" trace convert small.lackey small.din --to din 2>err.txt
grep -q 'small.din: din cannot carry everything: 4 accesses became 4 bytes at a multiple of 4 (1 of them touch other 64-byte lines now), 0 stated values dropped, 2 modify halves written as plain accesses' err.txt
"$COHSIM" trace convert small.lackey small.txt --to text 2>err.txt
[ ! -s err.txt ]
# compressed outputs, by name
"$COHSIM" trace convert s.lackey plain.txt --to text
"$COHSIM" trace convert s.lackey o.txt.gz --to text && gzip -dc o.txt.gz | cmp - plain.txt
"$COHSIM" trace convert s.lackey o.txt.xz --to text && xz -dc o.txt.xz | cmp - plain.txt
"$COHSIM" trace convert s.lackey o.bin.zst --to binary && "$COHSIM" trace convert s.lackey o.bin --to binary
zstd -qdc o.bin.zst | cmp - o.bin
[ "$(wc -c <o.txt.xz)" -lt "$(wc -c <plain.txt)" ]
echo ok
