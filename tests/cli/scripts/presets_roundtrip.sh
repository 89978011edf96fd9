# Every preset printed by `presets --show` reads back through --config to the same machine: the
# configuration echoed in the JSON and every statistic are identical; only "preset" differs (the
# preset's name, null for a --config base).
set -eu
printf '0 store 0x100 8 =1\n0 load 0x100 8 =1\n0 ifetch 0x4000 4\n0 fence\n' >"$TMP/t"
n=0
for p in $("$COHSIM" presets | awk '{print $1}'); do
    "$COHSIM" presets --show "$p" >"$TMP/$p.ini"
    "$COHSIM" run -q --preset "$p" "$TMP/t" --json "$TMP/a.json"
    "$COHSIM" run -q --config "$TMP/$p.ini" "$TMP/t" --json "$TMP/b.json"
    grep -q '"config"' "$TMP/a.json"
    grep -q "^	\"preset\":	\"$p\",\$" "$TMP/a.json"
    grep -q '^	"preset":	null,$' "$TMP/b.json"
    grep -v '^	"preset":' "$TMP/a.json" >"$TMP/a.rest"
    grep -v '^	"preset":' "$TMP/b.json" >"$TMP/b.rest"
    cmp "$TMP/a.rest" "$TMP/b.rest"
    n=$((n + 1))
done
[ "$n" -ge 7 ]
