# --csv FILE writes the per-cache table as CSV: every row's numbers are those of the JSON of the
# same run (run, run --3c, the compat modes, exec; litmus: a row per test); an unwritable CSV is
# exit 2 with no file.
set -eu
cd "$TMP"
r=$ROOT/tests/fixtures/reference
check() { # CSV JSON: each row equals the JSON's cache; the rows are every cache of the JSON
    python3 - "$1" "$2" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
d = json.load(open(sys.argv[2]))
caches = [(n, str(c["core"]), o) for c in d["cores"] for n, o in c["caches"].items()]
caches += [(n, "", o) for n, o in d.get("shared", {}).items()]
assert [(r["cache"], r["core"]) for r in rows] == [(n, c) for n, c, _ in caches], rows
for r, (_, _, o) in zip(rows, caches):
    for col, what, kind in [("reads", "accesses", "read"), ("writes", "accesses", "write"),
                            ("ifetches", "accesses", "ifetch"), ("accesses", "accesses", "total"),
                            ("read_misses", "misses", "read"), ("write_misses", "misses", "write"),
                            ("ifetch_misses", "misses", "ifetch"), ("misses", "misses", "total")]:
        assert int(r[col]) == o[what][kind], (r, col, o)
    assert int(r["writebacks"]) == o["writebacks"], r
    assert abs(float(r["miss_rate"]) - o["miss_rate"]) < 1e-6, r
    if "ccc" in o:
        for c in ("compulsory", "capacity", "conflict"):
            assert int(r[c]) == o["ccc"][c]["total"], r
print(len(rows))
PY
}
"$COHSIM" run -q --csv run.csv --json run.json "$ROOT/traces/examples/demo.trace"
[ "$(check run.csv run.json)" = 7 ]    # 3 caches on each of 2 cores, and the LLC
head -1 run.csv | grep -qx 'cache,core,reads,writes,ifetches,misc,accesses,read_misses,write_misses,ifetch_misses,misc_misses,misses,miss_rate,writebacks'
"$COHSIM" run -q --3c --csv 3c.csv --json 3c.json "$r/sort.lackey.xz"
head -1 3c.csv | grep -q ',compulsory,capacity,conflict$'
[ "$(check 3c.csv 3c.json)" = 7 ]
"$COHSIM" run -q --compat dinero --3c --csv din.csv --json din.json "$ROOT/tests/fixtures/sweep/small2.din"
[ "$(check din.csv din.json)" -ge 1 ]
"$COHSIM" run -q --compat cachegrind --csv cg.csv --json cg.json "$r/sort.lackey.xz"
[ "$(check cg.csv cg.json)" = 3 ]
"$COHSIM" exec --csv exec.csv --json exec.json "$ROOT/isa/examples/producer_consumer.s" >/dev/null
[ "$(check exec.csv exec.json)" = 13 ]
# litmus --csv: a row per test, as its JSON says
"$COHSIM" litmus --runs 50 --csv lit.csv --json lit.json "$ROOT/tests/fixtures/litmus/SB.litmus" \
    "$ROOT/tests/fixtures/litmus/MP.litmus" >/dev/null
python3 - lit.csv lit.json <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
tests = json.load(open(sys.argv[2]))["tests"]
assert [r["test"] for r in rows] == [t["test"] for t in tests] == ["SB", "MP"], rows
for r, t in zip(rows, tests):
    assert (r["file"], r["kind"], r["observation"]) == (t["file"], t["kind"], t["observation"]), r
    assert [int(r[k]) for k in ("runs", "positive", "negative")] == [t["runs"], t["positive"], t["negative"]], r
    assert int(r["states"]) == len(t["states"]) and r["ok"] == ("Ok" if t["ok"] else "No"), r
PY
# The CSV alone (no --json), and to standard output
"$COHSIM" run -q --csv alone.csv "$ROOT/traces/examples/demo.trace"
cmp alone.csv run.csv
"$COHSIM" run -q --csv - "$ROOT/traces/examples/demo.trace" | cmp - run.csv
# Unwritable: exit 2, the message names the file, nothing is left
set +e
"$COHSIM" run -q --csv "$TMP/no/such.csv" "$ROOT/traces/examples/demo.trace" 2>err
[ $? -eq 2 ] || exit 1
set -e
grep -q "no/such.csv: cannot write" err
[ ! -e no ]
