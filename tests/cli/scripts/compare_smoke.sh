# cohsim compare with tiny sizes: the staircase table, JSON keys the issue names (one entry per
# primitive), the HTML's SVG plot, output files whole, a calibrated file read back by --config
# and by cohsim run.
set -eu
"$COHSIM" calibrate --quick --dir "$TMP" -o "$TMP/host.ini" 2>/dev/null
printf '0 store 0x40 8 =7\n1 load 0x80 8\n0 load 0x40 8 =7\n' >"$TMP/t.trace"
"$COHSIM" run --config "$TMP/host.ini" "$TMP/t.trace" >/dev/null
"$COHSIM" compare --config "$TMP/host.ini" --quick --dir "$TMP" --max-bytes 64K \
    --json "$TMP/c.json" --html "$TMP/c.html" >"$TMP/out"
grep -q "clock [0-9]* MHz (machine.clock_mhz)" "$TMP/out"
[ "$(grep -Ec '^ +[0-9]+ KiB +[0-9.]+ +[0-9.]+ +[-+][0-9.]+%$' "$TMP/out")" -eq 5 ] ||
    { cat "$TMP/out"; exit 1; }
python3 - "$TMP/c.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
st = j["staircase"]
assert [p["bytes"] for p in st] == [4096 << i for i in range(5)], st
for p in st:
    assert p["model_ns"] > 0 and p["host_ns"] > 0
    assert abs(p["error"] - (p["model_ns"] - p["host_ns"]) / p["host_ns"]) < 1e-9
names = [p["name"] for p in j["primitives"]]
assert names == ["FlushInstructionCache", "FlushProcessWriteBuffers", "KeInvalidateAllCaches",
                 "ZwFlushVirtualMemory", "CcCoherencyFlushAndPurgeCache"], names
for p in j["primitives"]:
    assert "model" in p and "host" in p and isinstance(p["counts_agree"], bool)
assert isinstance(j["litmus"], list)
PY
grep -q "<svg" "$TMP/c.html" && grep -q "<polyline" "$TMP/c.html"
# An unwritable output: exit 2, nothing written.
set +e
"$COHSIM" compare --quick --max-bytes 8K --dir "$TMP" --json /nonexistent/c.json >/dev/null 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "exit $rc"; exit 1; }
grep -q "/nonexistent/c.json: cannot write" "$TMP/err"
# Only the files this script asked for remain.
[ "$(ls "$TMP" | sort | tr '\n' ' ')" = "c.html c.json err host.ini out t.trace " ] || { ls -la "$TMP"; exit 1; }
