# Every JSON document cohsim writes is valid under docs/cohsim.schema.json: the golden cases' (each
# case that writes --json, or runs a sweep's jobs, is run again and its documents kept), and one of
# each command and mode (run: plain, --3c --top, one trace per core, an OS trace, --config base,
# --compat dinero and cachegrind; exec; litmus; compare; host's fixture). The schema is no
# formality: a size written as a string, a missing miss rate and run's old "cpu" are each rejected.
set -eu
# The first python3 that has the module: the one on PATH (perhaps not Debian's), else Debian's.
py=
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import jsonschema' 2>/dev/null; then py=$candidate; break; fi
done
[ -n "$py" ] ||
    { echo "SKIP python3-jsonschema (Debian: python3-jsonschema) is not installed"; exit 77; }
schema=$ROOT/docs/cohsim.schema.json
cd "$TMP"
mkdir docs
# The golden cases that write JSON, run as tests/cli/run.sh runs them, their $TMP kept.
for cmd in "$ROOT"/tests/cli/cases/*.cmd; do
    grep -qE -- '--json|--jobs' "$cmd" || continue    # --jobs: a sweep's results, when run
    name=$(basename "$cmd" .cmd)
    mkdir "case.$name"
    (cd "$ROOT" && TMP=$TMP/case.$name COHSIM=$COHSIM \
        sh -c "cohsim() { \"\$COHSIM\" \"\$@\"; }; . \"$cmd\"" >/dev/null 2>&1) || true
done
r=$ROOT/tests/fixtures/reference
"$COHSIM" run -q --json docs/run.json "$ROOT/traces/examples/demo.trace"
"$COHSIM" run -q --3c --top 3 --json docs/run3c.json "$r/sort.lackey.xz"
"$COHSIM" run -q -p x86-4 --json docs/os.json "$ROOT/traces/examples/cc_flush_and_purge.trace"
"$COHSIM" run -q -p x86-2 --address-spaces separate --warmup 5 --json docs/percore.json \
    "$ROOT/tests/fixtures/sweep/small.din" "$ROOT/tests/fixtures/sweep/small2.din"
"$COHSIM" presets --show x86-2 >base.ini
"$COHSIM" run -q --config base.ini -c l1d.size=16K --json docs/config.json "$ROOT/traces/examples/demo.trace"
"$COHSIM" run -q --compat dinero --3c --json docs/dinero.json "$ROOT/tests/fixtures/sweep/small2.din"
"$COHSIM" run -q --compat cachegrind --json docs/cachegrind.json "$r/sort.lackey.xz"
"$COHSIM" exec --json docs/exec.json "$ROOT/isa/examples/producer_consumer.s" >/dev/null
"$COHSIM" litmus --runs 20 --json docs/litmus.json "$ROOT/tests/fixtures/litmus/iwp2.3.b.litmus" >/dev/null
"$COHSIM" compare --preset x86-2 --host-results "$ROOT/tests/fixtures/host/results.json" \
    --json docs/compare.json >/dev/null || [ $? -eq 1 ]
cp "$ROOT/tests/fixtures/host/results.json" docs/host.json
"$py" - "$schema" <<'PY'
import glob, json, sys, copy
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema)
def errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(doc)]
files = sorted(glob.glob("case.*/**/*.json", recursive=True)) + sorted(glob.glob("docs/*.json"))
seen, bad = set(), 0
for f in files:
    doc = json.load(open(f))
    seen.add(doc.get("command") + ("/" + doc["compat"] if "compat" in doc else ""))
    for e in errors(doc):
        print(f"{f}: {e}")
        bad += 1
print(f"show: json_schema: {len(files)} documents valid" if not bad else f"{bad} errors")
want = {"run", "run/dinero", "run/cachegrind", "exec", "litmus", "compare", "host"}
assert want <= seen, f"documents of {sorted(want - seen)} were not checked"
assert len(glob.glob("case.*/**/*.json", recursive=True)) >= 2, "the golden cases wrote no JSON"
# The schema rejects what the issue forbids.
run = json.load(open("docs/run.json"))
broken = []
d = copy.deepcopy(run); d["config"]["l1d"]["size"] = "32K"; broken.append(("size as a string", d))
d = copy.deepcopy(run); d["config"]["sim"]["seed"] = "1"; broken.append(("seed as a string", d))
d = copy.deepcopy(run); del d["cores"][0]["caches"]["l1d"]["miss_rate"]; broken.append(("no miss rate", d))
d = copy.deepcopy(run); d["cores"][0]["cpu"] = d["cores"][0].pop("core"); broken.append(("cpu", d))
d = copy.deepcopy(run); del d["preset"]; broken.append(("no preset", d))
d = copy.deepcopy(run); d["traces"][0]["records"] = "30"; broken.append(("records as a string", d))
d = copy.deepcopy(json.load(open("docs/exec.json"))); del d["cores"][0]["registers"]
broken.append(("exec: a core without its registers", d))
assert all("instructions" in c for c in d["cores"][:2]), "exec: the cores that ran lack instructions"
for what, d in broken:
    assert errors(d), f"the schema accepts a run document with {what}"
sys.exit(1 if bad else 0)
PY
