# cohsim compare against injected host results (tests/fixtures/host/results.json, the shape
# `cohsim host --json` writes), never this host's: counts that agree exit 0; one host count that
# disagrees exits 1 and names it; a count user space cannot measure is "model only" and one the
# host could not measure "not measured", neither ever agreeing; a malformed file exits 2 naming
# the file and the place.
set -eu
fx=$ROOT/tests/fixtures/host/results.json
"$COHSIM" compare --preset x86-2 --host-results "$fx" --json "$TMP/c.json" >"$TMP/out" 2>&1 ||
    { cat "$TMP/out"; exit 1; }
! grep -q DIFFERS "$TMP/out" || { cat "$TMP/out"; exit 1; }
grep -q "clock 2000 MHz" "$TMP/out" || { cat "$TMP/out"; exit 1; }
python3 - "$TMP/c.json" "$fx" <<'PY'
import json, sys
c, h = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
# the comparison's host side is the injected one, case by case
for pc, ph in zip(c["primitives"], h["primitives"]):
    assert [k["case"] for k in pc["host"]["cases"]] == [k["case"] for k in ph["cases"]], pc["name"]
    for kc, kh in zip(pc["host"]["cases"], ph["cases"]):
        if "time" in kh:
            assert kc["time"]["median_ns"] == kh["time"]["median_ns"], kc
assert [p["host_ns"] for p in c["staircase"]] == [p["time"]["median_ns"] for p in h["staircase"]]
# what user space cannot count is the model's alone: shown, never compared, never agreeing
kiac = c["primitives"][2]
assert kiac["counts_agree"] is False and kiac["counts_compared"] == 0, kiac
k = kiac["model"]["cases"][0]["counts"][0]
assert k["counted"] == "lines to memory" and k["host_note"] == "model only" and "agree" not in k, k
fic = c["primitives"][0]["model"]["cases"][1]["counts"]
assert [x["counted"] for x in fic] == ["stale fetches", "lines refetched"], fic
assert fic[0]["agree"] is True and fic[1]["host_note"] == "model only" and "host" not in fic[1]
PY
grep -q "^KeInvalidateAllCaches  \[host ok; counts agree: none measured;" "$TMP/out" ||
    { cat "$TMP/out"; exit 1; }
grep -q "lines to memory 4096 / model only" "$TMP/out"
grep -q "lines refetched 1 / model only" "$TMP/out"

# A kernel without cachestat: pages written "not measured", and no agreement claimed for them.
python3 - "$fx" "$TMP/nocs.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
for case in h["primitives"][3]["cases"]:
    del case["count"]
    case["count_note"] = "cachestat(2) failed (Function not implemented; it needs Linux 6.5): not measured"
json.dump(h, open(sys.argv[2], "w"))
PY
"$COHSIM" compare --preset x86-2 --host-results "$TMP/nocs.json" >"$TMP/out" 2>&1 ||
    { cat "$TMP/out"; exit 1; }
grep -q "^ZwFlushVirtualMemory  \[host ok; counts agree: none measured;" "$TMP/out" ||
    { cat "$TMP/out"; exit 1; }
grep -q "^  16 dirty pages, .*pages written 16 / not measured$" "$TMP/out"

# One IPI count the host "measured" differently: the comparison fails and says where.
python3 - "$fx" "$TMP/bad.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
case = h["primitives"][1]["cases"][1]
assert case["case"] == "2 running threads" and case["count"] == 1, case
case["count"] = 2
json.dump(h, open(sys.argv[2], "w"))
PY
set +e
"$COHSIM" compare --preset x86-2 --host-results "$TMP/bad.json" >"$TMP/out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "a disagreeing count: exit $rc"; cat "$TMP/out"; exit 1; }
grep -q "^  2 running threads .*IPIs 1 / 2 DIFFERS" "$TMP/out" || { cat "$TMP/out"; exit 1; }
grep -q "^FlushProcessWriteBuffers  \[host ok; counts agree: no;" "$TMP/out"

# Malformed: exit 2, the file and the place named, nothing written.
printf '{"cohsim_host_results": 1,\n "host": {"name": "x"' >"$TMP/trunc.json"
python3 - "$fx" "$TMP/wrong.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
h["primitives"][3]["cases"][2]["time"]["median_ns"] = "fast"
json.dump(h, open(sys.argv[2], "w"))
PY
python3 - "$fx" "$TMP/nostair.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
del h["staircase"]
json.dump(h, open(sys.argv[2], "w"))
PY
python3 - "$fx" "$TMP/claims.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
case = h["primitives"][2]["cases"][0]
assert case["model_only"] is True, case
case["count"] = 4096
json.dump(h, open(sys.argv[2], "w"))
PY
for f in trunc wrong nostair missing claims; do
    set +e
    "$COHSIM" compare --preset x86-2 --host-results "$TMP/$f.json" --json "$TMP/no.json" \
        >"$TMP/$f.out" 2>"$TMP/$f.err"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || { echo "$f: exit $rc"; cat "$TMP/$f.err"; exit 1; }
    [ ! -s "$TMP/$f.out" ] || { echo "$f: partial output"; cat "$TMP/$f.out"; exit 1; }
done
grep -q "trunc.json:2: not valid JSON" "$TMP/trunc.err" || { cat "$TMP/trunc.err"; exit 1; }
grep -q "wrong.json: primitives\[3\].cases\[2\].time.median_ns: expected a number" "$TMP/wrong.err" ||
    { cat "$TMP/wrong.err"; exit 1; }
grep -q "nostair.json: expected both \"staircase\" and \"primitives\"" "$TMP/nostair.err"
grep -q "missing.json: cannot read: No such file or directory" "$TMP/missing.err"
grep -q "claims.json: primitives\[2\].cases\[0\]: expected no count where model_only is true" \
    "$TMP/claims.err" || { cat "$TMP/claims.err"; exit 1; }
[ ! -e "$TMP/no.json" ]
exit 0
