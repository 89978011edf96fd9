#!/bin/sh
# Traces from pipes and FIFOs: `run -`, a named FIFO, and compressed data through a pipe give the
# same statistics as the file itself (detection once read the magic with pread: "Illegal seek").
set -u
fail() { echo "FAIL: $*"; exit 1; }
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
demo=$ROOT/traces/examples/demo.trace
"$COHSIM" run -q --json "$TMP/file.json" "$demo" || fail "run on the file"
"$COHSIM" run -q --json "$TMP/stdin.json" - <"$demo" || fail "run - from a redirected file"
cat "$demo" | "$COHSIM" run -q --json "$TMP/pipe.json" - || fail "run - from a pipe"
xz -c "$demo" | "$COHSIM" run -q --json "$TMP/xz.json" - || fail "run - from an xz pipe"
mkfifo "$TMP/fifo" || fail "mkfifo"
gzip -c "$demo" >"$TMP/fifo" &
"$COHSIM" run -q --json "$TMP/fifo.json" "$TMP/fifo" || fail "run on a FIFO of gzip data"
wait
for f in stdin pipe xz fifo; do
    same_stats "$TMP/file.json" "$TMP/$f.json" || fail "$f: statistics differ from the file's"
done
cat "$demo" | "$COHSIM" trace convert - "$TMP/demo.bin" --to binary || fail "convert from a pipe"
"$COHSIM" trace stats "$TMP/demo.bin" | grep -q '^format     binary' || fail "converted trace"
"$COHSIM" trace stats - </dev/null >"$TMP/out" 2>&1 && fail "an empty pipe was accepted"
grep -q -- '-: empty file' "$TMP/out" || fail "empty pipe message: $(cat "$TMP/out")"
echo ok
