# The same trace plain, gzip, xz and zstd reads alike (detected by magic bytes, not names); a
# truncated or corrupt compressed file is an error naming the file and a byte offset, exit 2, and
# --json leaves no file behind; convert to binary and back reproduces the records; concatenated
# members, streams and frames read as one; corrupt gzip and zstd data name file and offset.
set -eu
cd "$TMP"
xz -dc "$ROOT/tests/fixtures/reference/sort.xdin.xz" | head -20000 >t.xdin
gzip -c t.xdin >t.gz.data
xz -c t.xdin >t.xz.data
zstd -q -c t.xdin >t.zst.data
"$COHSIM" trace stats t.xdin | sed 1,2d >plain.txt
for f in t.gz.data t.xz.data t.zst.data; do
    "$COHSIM" trace stats "$f" | sed 1,2d >got.txt
    cmp plain.txt got.txt || { echo "$f reads differently"; exit 1; }
done
"$COHSIM" trace stats t.zst.data | grep -q 'compression: zstd'
for f in t.gz.data t.xz.data t.zst.data; do
    size=$(wc -c <"$f")
    head -c $((size / 2)) "$f" >cut.data
    status=0
    "$COHSIM" run --compat dinero --format xdin cut.data --json out.json >/dev/null 2>err.txt ||
        status=$?
    [ "$status" -eq 2 ] || { echo "truncated $f: exit $status, expected 2"; exit 1; }
    grep -q 'cut.data' err.txt && grep -q 'byte' err.txt || { echo "$f: bad message:"; cat err.txt; exit 1; }
    [ ! -e out.json ] || { echo "partial JSON left behind"; exit 1; }
    cat err.txt
done
# Corrupt the middle of an xz stream.
cp t.xz.data bad.data
printf 'XXXXXXXXXXXXXXXX' | dd of=bad.data bs=1 seek=2000 conv=notrunc 2>/dev/null
if "$COHSIM" trace stats bad.data >/dev/null 2>err.txt; then echo "corrupt xz accepted"; exit 1; fi
grep -q 'bad.data' err.txt && grep -q 'xz' err.txt
cat err.txt
# Round trip through the binary format.
"$COHSIM" trace convert t.xdin t.bin --to binary
"$COHSIM" trace convert t.bin back.xdin --to xdin
cmp t.xdin back.xdin
"$COHSIM" trace stats t.bin | grep -q 'format     binary'
# A truncated binary record (version 1: fixed 24-byte records, so the record and byte are known).
"$COHSIM" trace convert t.xdin t1.bin --to binary-v1
size=$(wc -c <t1.bin)
head -c $((size - 5)) t1.bin >cut.bin
if "$COHSIM" trace stats cut.bin >/dev/null 2>err.txt; then echo "truncated binary accepted"; exit 1; fi
grep -q "cut.bin: record $(((size - 16) / 24)), byte $((size - 5 - 19)): truncated" err.txt ||
    { echo "truncated record message: $(cat err.txt)"; exit 1; }
cat err.txt
# Concatenated gzip members, xz streams and zstd frames read as one trace, as their tools do.
head -1000 t.xdin >p1
sed -n '1001,2000p' t.xdin >p2
cat p1 p2 >p12
"$COHSIM" trace stats p12 | sed 1,2d >plain12.txt
{ gzip -c p1; gzip -c p2; } >cat.gz.data
{ xz -c p1; xz -c p2; } >cat.xz.data
{ zstd -q -c p1; zstd -q -c p2; } >cat.zst.data
for f in cat.gz.data cat.xz.data cat.zst.data; do
    "$COHSIM" trace stats "$f" | sed 1,2d >got.txt
    cmp plain12.txt got.txt || { echo "$f: concatenated parts read differently"; exit 1; }
done
# Corrupt gzip and zstd data: exit 2, naming the file and where.
for f in cat.gz.data cat.zst.data; do
    cp "$f" bad.data
    printf 'XXXXXXXXXXXXXXXXXXXX' | dd of=bad.data bs=1 seek=300 conv=notrunc 2>/dev/null
    status=0
    "$COHSIM" trace stats bad.data >/dev/null 2>err.txt || status=$?
    [ "$status" -eq 2 ] || { echo "corrupt $f: exit $status"; exit 1; }
    grep -q 'bad.data: corrupt .* compressed byte' err.txt || { cat err.txt; exit 1; }
    cat err.txt
done
