# A primitive is a system call: it first drains its own core's store buffer, and counts exactly the
# entries it found there (not those that had drained on their own before it issued).
set -eu
cat > "$TMP/t" <<'T'
file f size=16K
map 1 f base=0x40000000
0 load 0x40000000 8          # fault the page in from disk first
0 store 0x40000000 8 =1
0 store 0x40000040 8 =2
0 store 0x40000080 8 =3
0 ZwFlushVirtualMemory 1 0x40000000 0
expect disk f 0x40 8 =2
T
"$COHSIM" run -q --preset x86-2 "$TMP/t" --json "$TMP/o.json"
python3 - "$TMP/o.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
z = d["primitives"]["ZwFlushVirtualMemory"]
assert z["sb_drained"] == 3, z
assert z["pages_written"] == 1, z
P
# With a fence in between, the fence drains them and the call finds nothing.
sed -i 's/^0 ZwFlush/0 fence\n0 ZwFlush/' "$TMP/t"
"$COHSIM" run -q --preset x86-2 "$TMP/t" --json "$TMP/o.json"
python3 - "$TMP/o.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["primitives"]["ZwFlushVirtualMemory"]["sb_drained"] == 0, d["primitives"]
P
