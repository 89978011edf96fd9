# trace convert: text output runs exactly as its source (the demo through text gives the same
# JSON); binary to text and back reproduces the file; a record the output format cannot carry is
# an error naming the input line (or record) and the format, exit 2, with no output file left.
set -eu
cd "$TMP"
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
ex=$ROOT/traces/examples
"$COHSIM" trace convert "$ex/demo.trace" demo.txt --to text
"$COHSIM" run -q --json a.json "$ex/demo.trace"
"$COHSIM" run -q --json b.json demo.txt
same_stats a.json b.json
# the same lines as the source without its comments and alignment (values in decimal)
sed 's/#.*//; s/  */ /g; s/ *$//; s/=0x90909090/=2425393296/' "$ex/demo.trace" | grep -v '^$' >want.txt
diff want.txt demo.txt
# binary -> text -> binary
xz -dc "$ROOT/tests/fixtures/reference/sort.din.xz" | head -5000 >t.din
"$COHSIM" trace convert t.din t.bin --to binary
"$COHSIM" trace convert t.bin t.txt --to text
"$COHSIM" trace convert t.txt back.bin --to binary
cmp t.bin back.bin
# primitives are written as text by their rows in model/ops.def, and read back the same
printf '%s\n' "0 FlushInstructionCache 1 NULL 0" "2 FlushInstructionCache self 0x400000 4K" \
    "0 CcCoherencyFlushAndPurgeCache log.dat 0 8192 NO_PURGE" "3 KeInvalidateAllCaches" >prims.trace
"$COHSIM" trace convert prims.trace prims.txt --to text
grep -qx '2 FlushInstructionCache self 0x400000 4096' prims.txt
"$COHSIM" trace convert prims.txt prims2.txt --to text
cmp prims.txt prims2.txt
# the OS set-up and checks are written as text (from their ops.def rows): the converted trace
# runs as the original does, and converting it again changes nothing
"$COHSIM" trace convert "$ex/flush_instruction_cache.trace" fic.txt --to text
grep -qx 'expect mem 0x400000 4 =3573751839' fic.txt
"$COHSIM" run --preset arm-like-4 "$ex/flush_instruction_cache.trace" >fic.want
"$COHSIM" run --preset arm-like-4 fic.txt >fic.got
cmp fic.want fic.got
"$COHSIM" trace convert fic.txt fic2.txt --to text
cmp fic.txt fic2.txt
# what a format cannot carry
refuse() { # IN OUT FORMAT MESSAGE
    status=0
    "$COHSIM" trace convert "$1" "$2" --to "$3" 2>err.txt || status=$?
    [ "$status" -eq 2 ] || { echo "$1 -> $3: exit $status, expected 2"; exit 1; }
    grep -q "$4" err.txt || { echo "$1 -> $3: bad message:"; cat err.txt; exit 1; }
    [ ! -e "$2" ] || { echo "$1 -> $3: partial output left behind"; exit 1; }
    cat err.txt
}
refuse "$ex/flush_instruction_cache.trace" fic.bin binary \
    'flush_instruction_cache.trace:10: cannot be written as binary: FlushInstructionCache has arguments'
refuse "$ex/demo.trace" demo.din din 'demo.trace:8: cannot be written as din: din records carry no CPU'
printf ' L 00001000,3\n' >odd.lackey
refuse odd.lackey odd.txt text 'odd.lackey:1: cannot be written as text: a 3-byte load'
# a binary input has no lines: the record's number
"$COHSIM" trace convert "$ex/demo.trace" demo.bin --to binary
refuse demo.bin demo2.din din 'demo.bin: record 3: cannot be written as din: din records carry no CPU'
