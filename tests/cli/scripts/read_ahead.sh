# Read-ahead (traces/ahead.c, issue 24): a trace decoded on a thread of its own gives the same
# output, messages and exit status as one decoded in turn (COHSIM_READ_AHEAD=on against off),
# for binary v1 and v2 under `run` and din and Lackey under --compat: good traces, a bad record in
# the first, a middle and the last batch, a truncated file, --max, --skip, a FIFO. A bad CPU just
# before a bad record must be the message (an error handed over early would win), and --max that
# stops before a bad record must end well, a bad last record must fail (an error handed late, or
# lost, would not).
set -eu
cd "$TMP"
n=0
# both STATUS ARGS...: cohsim ARGS with the thread forced on and off: the same stdout, stderr,
# exit status and JSON file (when ARGS name j.json); the exit status must be STATUS.
both() {
    want=$1
    shift
    n=$((n + 1))
    for m in on off; do
        rm -f j.json
        st=0
        COHSIM_READ_AHEAD=$m "$COHSIM" "$@" >out.$m 2>err.$m || st=$?
        echo "$st" >st.$m
        [ ! -e j.json ] || cat j.json >>out.$m
    done
    cmp out.on out.off || { echo "$*: stdout or JSON differ with the thread"; exit 1; }
    cmp err.on err.off || { echo "$*: messages differ with the thread:"; cat err.on err.off; exit 1; }
    cmp st.on st.off || { echo "$*: exit status $(cat st.on) with the thread, $(cat st.off) without"; exit 1; }
    [ "$(cat st.off)" = "$want" ] || { echo "$*: exit status $(cat st.off), expected $want"; cat err.off; exit 1; }
}
# put FILE OFFSET OCTAL: write one byte at OFFSET
put() { printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
rec1() { echo $((16 + ($1 - 1) * 24)); } # byte of version 1 record N (from 1)

xz -dc "$ROOT/tests/fixtures/reference/sort.din.xz" | head -20000 >t.din
"$COHSIM" trace convert t.din t1.bin --to binary-v1
"$COHSIM" trace convert t.din t2.bin --to binary
for t in t1.bin t2.bin; do
    both 0 run --preset dinero --json j.json $t
    both 0 run --preset x86-2 --json j.json --skip 3000 --warmup 1000 --max 9000 $t
    both 0 run --preset dinero --json j.json --max 1 $t
    head -c $(($(wc -c <$t) - 3)) $t >cut.bin
    both 2 run --preset dinero --json j.json cut.bin
    grep -q "cut.bin: record 20000, byte [0-9]*: truncated" err.on
done
# bad records (unknown operation 200) in the first, a middle and the last batch of version 1
for r in 1 200 257 10000 19999 20000; do
    cp t1.bin bad.bin
    put bad.bin "$(rec1 $r)" 310
    both 2 run --preset dinero --json j.json bad.bin
    grep -q "bad.bin: record $r, byte $(rec1 $r): unknown operation 200" err.on
    # --max ends the run just before it: no error at all
    [ $r -eq 1 ] || both 0 run --preset dinero --json j.json --max $((r - 1)) bad.bin
    # skipped records are still read: the error stays
    both 2 run --preset dinero --json j.json --skip $r bad.bin
    # a CPU the machine lacks just before it (same batch): the CPU is the message
    [ $r -eq 1 ] && continue
    put bad.bin $(($(rec1 $((r - 1))) + 2)) 005
    both 2 run --preset x86-2 --json j.json bad.bin
    grep -q "bad.bin: record $((r - 1)), byte [0-9]*: CPU 5 does not exist" err.on
done
# a FIFO: the same statistics as the file
mkfifo fifo
for m in on off; do
    cat t2.bin >fifo &
    COHSIM_READ_AHEAD=$m "$COHSIM" run --preset dinero fifo >fifo.$m 2>&1
    wait
done
cmp fifo.on fifo.off
# din and Lackey under --compat: good, a bad line first, in the middle, last; truncated
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" | head -20000 >t.lackey
both 0 run --compat dinero --json j.json t.din
both 0 run --compat cachegrind --json j.json t.lackey
for l in 1 5000 20000; do
    sed "${l}s/.*/9 zz/" t.din >bad.din
    both 2 run --compat dinero --json j.json bad.din
    grep -q "bad.din:$l: " err.on
    sed "${l}s/.*/ L zz,8/" t.lackey >bad.lackey
    both 2 run --compat cachegrind --json j.json bad.lackey
    grep -q "bad.lackey:$l: " err.on
done
echo "show: read-ahead: $n runs the same with the thread on and off"
