#!/bin/sh
# Memory bounds: a machine is sized before it is built and refused, with the estimate, when it
# exceeds --max-memory (or the host's memory: never relied on here); simulated memory stops at
# what the limit leaves, naming the trace line where it ran out. Each refusal is quick and small.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 1
demo=$ROOT/traces/examples/demo.trace
expect() { # expect STATUS TEXT command...
    want=$1 text=$2
    shift 2
    "$@" >out 2>err
    status=$?
    [ "$status" -eq "$want" ] || fail "exit $status, expected $want: $*: $(cat err)"
    grep -qF -- "$text" err || fail "expected '$text' in: $(cat err)"
}
expect 2 'the machine needs about 477.1 GiB (64 cores' \
    "$COHSIM" run -q --max-memory 16G -c machine.cores=64 -c l2.size=4G -c llc.size=4G "$demo"
expect 2 'but --max-memory is 16.0 GiB' \
    "$COHSIM" run -q --max-memory 16G -c machine.cores=64 -c l2.size=4G -c llc.size=4G "$demo"
expect 2 'the machine needs about 2.1 GiB' "$COHSIM" run -q --max-memory 1G -c l2.size=4G "$demo"
expect 2 'the machine needs about' "$COHSIM" exec --max-memory 1M "$ROOT/isa/examples/barrier.s"
expect 2 "--max-memory '0'" "$COHSIM" run -q --max-memory 0 "$demo"
"$COHSIM" run -q --max-memory 64M "$demo" || fail "the demo does not fit in 64M"
# Simulated memory: 400 pages written; 1M less the dinero machine leaves room for 197 at 4688
# bytes a page at most (its 64-byte chunks all written, their directory, its slots).
i=0
while [ $i -lt 400 ]; do printf '0 store 0x%x 8 =1\n' $((i * 4096)); i=$((i + 1)); done >pages.trace
expect 2 'pages.trace:198: simulated memory is full: 197 pages of 4 KiB written' \
    "$COHSIM" run -q --preset dinero --max-memory 1M pages.trace
"$COHSIM" run -q --preset dinero --max-memory 2M pages.trace || fail "400 pages do not fit in 2M"
# With one trace per core and store buffers, a store that finds memory full fails as it drains;
# the message names the record its core had taken by then, the same whether the trace is read a
# record at a time (text) or in batches that the event loop's fast path issues where they lie
# (binary), and the same as the general path's (a record is taken before the drain it waits for).
for c in 0 1; do
    i=0
    while [ $i -lt 400 ]; do
        printf '0 store 0x%x 8 =1\n0 load 0x%x 8\n0 ifetch 0x400000 4\n' \
            $((i * 4096 + c * 16777216)) $((i * 64))
        i=$((i + 1))
    done >core$c.trace
    "$COHSIM" trace convert core$c.trace core$c.bin --to binary || fail "convert core$c.trace"
done
small="-c llc.size=256K -c l2.size=64K --max-memory 1M"
# shellcheck disable=SC2086
expect 2 'core1.trace:231: simulated memory is full: 154 pages' \
    "$COHSIM" run -q --preset x86-2 $small core0.trace core1.trace
# shellcheck disable=SC2086
expect 2 'core1.bin: record 231: simulated memory is full: 154 pages' \
    "$COHSIM" run -q --preset x86-2 $small core0.bin core1.bin
echo ok
