# A primitive's lines_written_back counts each line whose dirty data left the caches once, even
# when it went from a core through the LLC to memory (two transfers); lines_invalidated counts
# every copy dropped (a line in the L1D, the L2 and the LLC is three).
set -eu
{
    i=0
    while [ $i -lt 20 ]; do echo "0 store $((0x10000 + i * 64)) 8 =$((i + 1))"; i=$((i + 1)); done
    echo "1 load 0x20000 8"          # one clean line elsewhere
    echo "0 fence"
    echo "0 KeInvalidateAllCaches"
    echo "1 load $((0x10000 + 5 * 64)) 8 =6"   # nothing lost: memory holds every store
} >"$TMP/t"
"$COHSIM" run -q --preset x86-2 "$TMP/t" --json "$TMP/o.json"
python3 - "$TMP/o.json" <<'P'
import json, sys
k = json.load(open(sys.argv[1]))["primitives"]["KeInvalidateAllCaches"]
assert k["lines_written_back"] == 20, k
# every copy of the 21 lines (L1D, L2, LLC), and the two private copies of the line core 1
# loads after the call: issued with it (global issue order), before its IPI arrives, and dropped
# by its handler
assert k["lines_invalidated"] == 21 * 3 + 2, k
P
