# cohsim compare's time verdicts, with injected host results only (never this host's timing):
# each staircase point and primitive case is within the tolerance, within noise (the difference
# no larger than the host's interquartile range) or OUTSIDE; --strict turns OUTSIDE into exit 1
# and --tolerance moves the line; the text, the JSON and the HTML all name the configuration
# compared and say whether it was calibrated on the host compared with; the HTML marks outliers.
set -eu
fx=$ROOT/tests/fixtures/host/results.json
cal=$ROOT/tests/fixtures/host/calibrated.ini

# The model's own times, to make host results that sit near them.
"$COHSIM" compare --preset x86-2 --host-results "$fx" --json "$TMP/m.json" >/dev/null
python3 - "$fx" "$TMP/m.json" "$TMP" <<'PY'
import json, sys, copy
h, m, tmp = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def write(name, ratio, lo, hi):
    # every host median at ratio x the model's, its interquartile range lo..hi x the model's
    x = copy.deepcopy(h)
    def put(t, ns):
        t.update(median_ns=ns * ratio, q1_ns=ns * lo, q3_ns=ns * hi,
                 min_ns=ns * min(lo, ratio) * 0.9, max_ns=ns * max(hi, ratio) * 1.1)
    for p, q in zip(x["staircase"], m["staircase"]):
        put(p["time"], q["model_ns"])
    for p, q in zip(x["primitives"], m["primitives"]):
        for c, k in zip(p["cases"], q["model"]["cases"]):
            if "time" in c and k["run"] and k["ns"] > 0:
                put(c["time"], k["ns"])
    json.dump(x, open(f"{tmp}/{name}.json", "w"))
write("near", 1.1, 1.1, 1.1)       # 10% off, no spread: within 15%, OUTSIDE 5%
write("noisy", 2.0, 0.5, 3.0)      # 100% off, but the model is inside the host's spread
PY
"$COHSIM" compare --preset x86-2 --host-results "$TMP/near.json" --strict --json "$TMP/n.json" \
    >"$TMP/out" 2>&1 || { cat "$TMP/out"; exit 1; }
grep -q "median |error| 9.1%: within the 15% tolerance" "$TMP/out" || { cat "$TMP/out"; exit 1; }
! grep -q "OUTSIDE" "$TMP/out" || { cat "$TMP/out"; exit 1; }
grep -q "^FlushProcessWriteBuffers  \[host ok; counts agree: yes; time: within 15% (2 cases, 0 within noise)\]" "$TMP/out"
python3 - "$TMP/n.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["tolerance"] == 0.15
for p in j["staircase"]:
    assert p["verdict"] == "within" and abs(p["error"] + 1 / 11) < 1e-6, p
    t = p["host_time"]
    assert t["q1_ns"] <= t["median_ns"] <= t["q3_ns"] and t["samples"] >= 1, t
assert j["staircase_summary"]["verdict"] == "within"
for p in j["primitives"]:
    t = p["time"]
    assert t["verdict"] == "within" and t["outside"] == 0 and t["cases_timed"] >= 1, p["name"]
    for c in p["model"]["cases"]:
        assert c.get("verdict", "within") == "within", c
PY
# The same at a 5% tolerance: every error is OUTSIDE; only --strict makes that exit 1.
"$COHSIM" compare --preset x86-2 --host-results "$TMP/near.json" --tolerance 5% >"$TMP/out" 2>&1 ||
    { cat "$TMP/out"; exit 1; }
grep -q "median |error| 9.1%: OUTSIDE the 5% tolerance" "$TMP/out" || { cat "$TMP/out"; exit 1; }
set +e
"$COHSIM" compare --preset x86-2 --host-results "$TMP/near.json" --tolerance 5 --strict \
    >"$TMP/out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "--strict past the tolerance: exit $rc"; cat "$TMP/out"; exit 1; }
grep -q "^strict: time errors OUTSIDE the 5% tolerance: the staircase, FlushInstructionCache," "$TMP/out" ||
    { cat "$TMP/out"; exit 1; }
# A model inside the host's own spread is within noise, however large the error: no exit 1.
"$COHSIM" compare --preset x86-2 --host-results "$TMP/noisy.json" --tolerance 5 --strict \
    --json "$TMP/z.json" >"$TMP/out" 2>&1 || { cat "$TMP/out"; exit 1; }
grep -Eq "^ +4 KiB .* -50\.0% within noise$" "$TMP/out" || { cat "$TMP/out"; exit 1; }
grep -q "median |error| 50.0%: within noise (past the 5% tolerance only at points" "$TMP/out"
python3 - "$TMP/z.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert all(p["verdict"] == "within noise" for p in j["staircase"]), j["staircase"]
assert j["staircase_summary"]["verdict"] == "within noise", j["staircase_summary"]
for p in j["primitives"]:
    assert p["time"]["outside"] == 0 and p["time"]["within_noise"] == p["time"]["cases_timed"], p
PY

# The configuration is named everywhere, with whether it was calibrated on this host.
"$COHSIM" presets --show x86-2 | sed '1d; s/^\[machine\]$/[machine]\nclock_mhz = 2000/' >"$TMP/hand.ini"
cp "$fx" "$TMP/otherhost.json"
sed -i 's/"testhost"/"otherhost"/' "$TMP/otherhost.json"
for k in hand other cal; do
    case $k in
    hand) set -- --config "$TMP/hand.ini" --host-results "$fx"
          want="configuration $TMP/hand.ini"
          note="not calibrated ($TMP/hand.ini has no \`cohsim calibrate\` header)" ;;
    other) set -- --config "$cal" --host-results "$TMP/otherhost.json"
           want="configuration $cal"
           note="calibrated on testhost, not on this host (otherhost)" ;;
    cal) set -- --config "$cal" --host-results "$fx"
         want="configuration $cal"
         note="calibrated on this host (testhost)" ;;
    esac
    "$COHSIM" compare "$@" --json "$TMP/$k.json" --html "$TMP/$k.html" >"$TMP/$k.out" 2>&1 ||
        { cat "$TMP/$k.out"; exit 1; }
    grep -qF "compare: model $want," "$TMP/$k.out" || { echo "$k: text"; cat "$TMP/$k.out"; exit 1; }
    grep -qF "configuration: $note" "$TMP/$k.out" || { echo "$k: text"; cat "$TMP/$k.out"; exit 1; }
    python3 - "$TMP/$k.json" "$want" "$note" <<'PY' || { echo "$k: json"; exit 1; }
import json, sys
c = json.load(open(sys.argv[1]))["configuration"]
assert c["compared"] == sys.argv[2], c
assert c["note"].startswith(sys.argv[3]), c
assert c["calibrated_on_this_host"] == sys.argv[3].startswith("calibrated on this host"), c
PY
    grep -qF "$want" "$TMP/$k.html" || { echo "$k: html names no configuration"; exit 1; }
    grep -qF "$(printf '%s' "$note" | sed 's/`/`/g')" "$TMP/$k.html" ||
        { echo "$k: html has no calibration note"; grep "<p>" "$TMP/$k.html"; exit 1; }
done
# Outliers marked in the HTML: shaded rows and ringed points where the error is OUTSIDE, and
# the host's spread drawn; none where all is within.
grep -q '<tr class="outlier">' "$TMP/cal.html"
grep -q '<circle class="outlier"' "$TMP/cal.html"
grep -q '<line class="spread"' "$TMP/cal.html"
"$COHSIM" compare --preset x86-2 --host-results "$TMP/near.json" --html "$TMP/near.html" >/dev/null
! grep -q 'class="outlier"' "$TMP/near.html"

# Bad usage.
set +e
"$COHSIM" compare --host-results "$fx" --tolerance 0 >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] || { echo "--tolerance 0: exit $rc"; exit 1; }
grep -q "tolerance '0': expected a percentage" "$TMP/err"
exit 0
