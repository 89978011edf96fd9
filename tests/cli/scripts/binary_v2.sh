# Binary trace version 2 (issue 24): trace convert writes it by default, binary-v1 on request;
# version 1 -> version 2 -> version 1 gives back the same bytes, and both versions run to the same
# statistics (one trace whose records carry CPUs and values, a Dinero trace, per-core traces);
# version 2 is smaller; a truncated or corrupt version 2 file is an error naming the file, the
# record and its byte, exit 2, with no output file left.
set -eu
cd "$TMP"
ex=$ROOT/traces/examples
version() { od -An -tu2 -j8 -N2 "$1" | tr -d ' '; }
# same_run FILE1 FILE2 ARGS...: both runs' JSON statistics are the same (each file run under one
# name, in a directory of its own, since the JSON names its traces)
same_run() {
    a=$1 b=$2
    shift 2
    rm -rf ra rb && mkdir ra rb && cp "$a" ra/t.bin && cp "$b" rb/t.bin
    (cd ra && "$COHSIM" run -q --json ../ja.json "$@" t.bin)
    (cd rb && "$COHSIM" run -q --json ../jb.json "$@" t.bin)
    cmp ja.json jb.json || { echo "$a and $b ran differently"; exit 1; }
}
"$COHSIM" trace convert "$ex/demo.trace" demo.bin --to binary
"$COHSIM" trace convert "$ex/demo.trace" demo1.bin --to binary-v1
[ "$(version demo.bin)" = 2 ] && [ "$(version demo1.bin)" = 1 ]
same_run demo1.bin demo.bin
"$COHSIM" trace convert demo1.bin demo12.bin --to binary
"$COHSIM" trace convert demo12.bin demo121.bin --to binary-v1
cmp demo1.bin demo121.bin
"$COHSIM" trace stats demo.bin | grep -q '^format     binary'
# a Dinero trace: the dinero preset's counts, v1 and v2
xz -dc "$ROOT/tests/fixtures/reference/sort.din.xz" | head -20000 >t.din
"$COHSIM" trace convert t.din t1.bin --to binary-v1
"$COHSIM" trace convert t1.bin t2.bin --to binary
same_run t1.bin t2.bin --preset dinero
"$COHSIM" trace convert t2.bin back1.bin --to binary-v1
cmp t1.bin back1.bin
s1=$(wc -c <t1.bin) s2=$(wc -c <t2.bin)
[ $((s2 * 3)) -lt "$s1" ] || { echo "version 2 is $s2 bytes against $s1: not 3 times smaller"; exit 1; }
echo "show: sort.din's first 20000 records: binary v1 $s1 bytes, v2 $s2 bytes"
# per-core traces (one per core, shared addresses), region options too
head -8000 t.din >c0.din
sed -n '8001,16000p' t.din >c1.din
mkdir v1 v2
for c in c0 c1; do
    "$COHSIM" trace convert $c.din v1/$c.bin --to binary-v1
    "$COHSIM" trace convert $c.din v2/$c.bin --to binary
done
region="--preset x86-2 --address-spaces shared --skip 100 --warmup 1000 --max 5000"
# shellcheck disable=SC2086 # the options' words
(cd v1 && "$COHSIM" run -q --json ../ja.json $region c0.bin c1.bin)
# shellcheck disable=SC2086
(cd v2 && "$COHSIM" run -q --json ../jb.json $region c0.bin c1.bin)
cmp ja.json jb.json

# bad input: STATUS, then the message (a grep pattern), for COMMAND...
bad() {
    want=$1
    shift
    status=0
    "$@" >out.txt 2>err.txt || status=$?
    [ "$status" -eq 2 ] || { echo "$*: exit $status, expected 2"; cat err.txt; exit 1; }
    grep -q "$want" err.txt || { echo "$*: bad message:"; cat err.txt; exit 1; }
    [ ! -s out.txt ] || { echo "$*: partial output"; exit 1; }
    cat err.txt
}
hdr() { printf 'COHSIMTR\002\000\000\000\000\000\000\000'; } # a version 2 header
# truncated in the last record: the record (from 1) and its byte
size=$(wc -c <t2.bin)
head -c $((size - 1)) t2.bin >cut.bin
bad "cut.bin: record 20000, byte [0-9]*: truncated: the record needs" "$COHSIM" trace stats cut.bin
bad "cut.bin: record 20000, byte [0-9]*: truncated" "$COHSIM" run -q --preset dinero cut.bin
bad "cut.bin: record 20000, byte [0-9]*: truncated" "$COHSIM" trace convert cut.bin cut.txt --to text
[ ! -e cut.txt ] || { echo "partial output of a truncated trace"; exit 1; }
# truncated in the middle of a batch: a 1-byte delta promised, none given, then the end
{ hdr; printf '\000\030\004\010\001\010'; } >short.bin
bad "short.bin: record 2, byte 20: truncated: the record needs 3 bytes, the file has 2 more" \
    "$COHSIM" trace stats short.bin
{ hdr; printf '\310\010\002'; } >op.bin
bad "op.bin: record 1, byte 16: unknown operation 200" "$COHSIM" trace stats op.bin
{ hdr; printf '\000\030\000\002'; } >size0.bin
bad "size0.bin: record 1, byte 17: size 0: expected 1 to 4096" "$COHSIM" run -q size0.bin
{ hdr; printf '\000\030\004\003'; } >wrap.bin
bad "wrap.bin: record 1, byte 17: access of 4 bytes at 0xfffffffffffffffe wraps" \
    "$COHSIM" trace stats wrap.bin
printf 'COHSIMTR\002\000\030\000\000\000\000\000' >recsize.bin
bad "recsize.bin: byte 10: record size 24: version 2 records vary" "$COHSIM" trace stats recsize.bin
printf 'COHSIMTR\003\000\000\000\000\000\000\000' >v3.bin
bad "v3.bin: byte 8: version 3: this build reads versions 1 and 2" "$COHSIM" trace stats v3.bin
# a CPU the machine does not have: the record's number (version 2 records have no fixed byte)
bad "demo.bin: record 3: CPU 1 does not exist" "$COHSIM" run -q --preset dinero demo.bin
