# --top N: first-level misses by program counter (the latest ifetch of the core) and by line, on a
# hand-made trace whose attribution is worked out below, and on Lackey's sort trace, where every
# miss of the L1I and L1D is attributed exactly once; a warm-up's misses are not counted.
set -eu
cd "$TMP"
get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
# pc 0x400: its own fetch misses, then loads of 0x1000 and (later) 0x3000 miss: 3
# pc 0x404: its fetch hits the line of 0x400, its load of 0x2000 misses: 1
cat >pc.trace <<'T'
0 ifetch 0x400 4
0 load 0x1000 8
0 ifetch 0x404 4
0 load 0x2000 8
0 load 0x1000 8
0 ifetch 0x400 4
0 load 0x3000 8
T
"$COHSIM" run -q -p cachegrind --top 3 --json pc.json pc.trace
[ "$(get pc.json '[(p["pc"], p["misses"]) for p in j["top"]["pcs"]]')" = "[(1024, 3), (1028, 1)]" ]
[ "$(get pc.json '[(p["line"], p["misses"]) for p in j["top"]["lines"]]')" = "[(1024, 1), (4096, 1), (8192, 1)]" ]
"$COHSIM" run -p cachegrind --top 2 pc.trace | grep -Eq '^  0x400 +3$'
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" | head -100000 >s.lackey
for extra in "" "--warmup 40000"; do
    # shellcheck disable=SC2086
    "$COHSIM" run -q -p cachegrind --top 100000 $extra --json s.json s.lackey
    total=$(get s.json 'sum(c["misses"]["total"] for c in j["cores"][0]["caches"].values() if True) - j["cores"][0]["caches"].get("l2", {"misses": {"total": 0}})["misses"]["total"]')
    [ "$(get s.json 'sum(p["misses"] for p in j["top"]["pcs"])')" = "$total" ]
    [ "$(get s.json 'sum(p["misses"] for p in j["top"]["lines"])')" = "$total" ]
done
status=0; "$COHSIM" run --top 0 pc.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "bad --top '0'" err.txt
echo ok
