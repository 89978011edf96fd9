#!/bin/sh
# Cost of each primitive on x86-4 (FlushInstructionCache also on arm-like-4, where it has work)
# as a function of its work, measured with `cohsim run` on generated traces.
# Usage: bench/os_costs.sh [COHSIM]. Prints one table row per run.
set -eu
cohsim=${1:-./cohsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
row() { # NAME TRACE [PRESET]: print the call's cycles and work
    "$cohsim" run -q --preset "${3:-x86-4}" --json "$tmp/o.json" "$2"
    python3 - "$1" "$tmp/o.json" <<'P'
import json, sys
d = json.load(open(sys.argv[2]))
for name, s in d["primitives"].items():
    if s["calls"]:
        print(f"{sys.argv[1]:<34} {name:<30} {s['cycles']:>8} inval={s['lines_invalidated']} "
              f"wb={s['lines_written_back']} sb={s['sb_drained']} ipis={s['ipis']} "
              f"pw={s['pages_written']} pp={s['pages_purged']}")
P
}
# KeInvalidateAllCaches: lines held (N lines loaded, or stored = dirty) on core 0.
for n in 0 64 256 1024; do
    { i=0; while [ $i -lt $n ]; do echo "0 load $((0x100000 + i * 64))"; i=$((i + 1)); done
      echo "0 KeInvalidateAllCaches"; } >"$tmp/t"; row "Ke: $n clean lines" "$tmp/t"
    { i=0; while [ $i -lt $n ]; do echo "0 store $((0x100000 + i * 64)) 8 =1"; i=$((i + 1)); done
      echo "0 fence"; echo "0 KeInvalidateAllCaches"; } >"$tmp/t"; row "Ke: $n dirty lines" "$tmp/t"
done
# FlushProcessWriteBuffers: cores in the process.
for c in 1 2 3 4; do
    { echo "process 1 cpus=0-$((c - 1))"; echo "0 FlushProcessWriteBuffers"; } >"$tmp/t"
    row "FPWB: $c cores" "$tmp/t"
done
# FlushInstructionCache: on x86-4 the system call alone whatever the I-cache holds; on
# arm-like-4, lines of the range written (dirty in the L1D) and held in the I-cache.
for n in 0 16 64; do
    { i=0; while [ $i -lt $n ]; do echo "0 ifetch $((0x400000 + i * 64)) 4"; i=$((i + 1)); done
      echo "0 FlushInstructionCache self 0x400000 4096"; } >"$tmp/t"; row "FIC: $n lines in 4K" "$tmp/t"
    { i=0; while [ $i -lt $n ]; do echo "0 ifetch $((0x400000 + i * 64)) 4"
          echo "0 store $((0x400000 + i * 64)) 4 =1"; i=$((i + 1)); done
      echo "0 fence"; echo "0 FlushInstructionCache self 0x400000 4096"; } >"$tmp/t"
    row "FIC arm-like-4: $n written lines" "$tmp/t" arm-like-4
done
# ZwFlushVirtualMemory and CcCoherencyFlushAndPurgeCache: dirty pages (one store each).
for p in 0 1 4 16; do
    { echo "file f size=64K"; echo "map 1 f base=0x40000000"
      i=0; while [ $i -lt $p ]; do echo "0 store $((0x40000000 + i * 4096)) 8 =1"; i=$((i + 1)); done
      echo "0 fence"; echo "0 ZwFlushVirtualMemory self 0x40000000 0"; } >"$tmp/t"
    row "Zw: $p dirty pages" "$tmp/t"
    { echo "file f size=64K"; echo "map 1 f base=0x40000000"
      i=0; while [ $i -lt $p ]; do echo "0 store $((0x40000000 + i * 4096)) 8 =1"; i=$((i + 1)); done
      echo "0 fence"; echo "acquire f"; echo "0 CcCoherencyFlushAndPurgeCache f NULL 0"; } >"$tmp/t"
    row "Cc: $p dirty pages" "$tmp/t"
done
