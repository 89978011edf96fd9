# The same trace, preset and seed give byte-identical JSON, with and without jitter. (Jitter changes
# timing, so the demo's stated load values are dropped for the jittered runs.)
set -eu
sed 's/\(load *0x[0-9a-f]* [0-9]*\) *=[0-9]*/\1/' "$ROOT/traces/examples/demo.trace" > "$TMP/demo"
for seed in 1 7; do
    for jitter in 0 20; do
        "$COHSIM" run -q --preset x86-4 -c sim.jitter=$jitter --seed $seed "$TMP/demo" --json "$TMP/a.json"
        "$COHSIM" run -q --preset x86-4 -c sim.jitter=$jitter --seed $seed "$TMP/demo" --json "$TMP/b.json"
        cmp "$TMP/a.json" "$TMP/b.json"
    done
done
# Different seeds with jitter give different timings (the seed reaches the model).
"$COHSIM" run -q --preset x86-4 -c sim.jitter=20 --seed 1 "$TMP/demo" --json "$TMP/a.json"
"$COHSIM" run -q --preset x86-4 -c sim.jitter=20 --seed 2 "$TMP/demo" --json "$TMP/b.json"
! cmp -s "$TMP/a.json" "$TMP/b.json"
