# --3c: compulsory, capacity and conflict misses as Dinero IV's -lN-Tccc defines them, in a run
# and under --compat dinero, on a hand-made trace whose classes are worked out below; on a real
# trace every cache's classes add up to its misses, kind by kind, with and without a warm-up.
set -eu
cd "$TMP"
get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
# A direct-mapped cache of 4 lines (256 bytes, 64-byte lines): 0x0 and 0x100 share set 0.
#   0x0 0x100      compulsory, compulsory
#   0x0            conflict: the 4-line fully associative cache still holds it
#   0x40 0x80 0xc0 compulsory x3 (the fully associative cache now holds c0 80 40 0)
#   0x100 0x0      capacity x2: evicted from the fully associative cache too
#   store 0x200    compulsory (write)
printf '0 0\n0 100\n0 0\n0 40\n0 80\n0 c0\n0 100\n0 0\n1 200\n' >h.din
for a in 0 100 0 40 80 c0 100 0; do echo "0 load 0x$a 4"; done >h.trace
echo '0 store 0x200 4' >>h.trace
geo="-c l1.size=256 -c l1.assoc=1"
want='[5, 2, 1, 1, 0, 0]'
pick='[j[c][k] for c in ("compulsory","capacity","conflict") for k in ("read",)] + [j[c]["write"] for c in ("compulsory","capacity","conflict")]'
"$COHSIM" run -q -p dinero $geo --3c --json run.json h.trace
[ "$(python3 -c "import json; j=json.load(open('run.json'))['cores'][0]['caches']['l1']['ccc']; print($pick)")" = "$want" ]
"$COHSIM" run -q --compat dinero $geo --3c --json din.json h.din
[ "$(python3 -c "import json; j=json.load(open('din.json'))['cores'][0]['caches']['l1']['ccc']; print($pick)")" = "$want" ]
"$COHSIM" run -p dinero $geo --3c h.trace | grep -q '^  0.l1      read              5           2           1$'
# no write-allocate: a write miss does not enter the fully associative cache either, so the load
# after it misses there too: capacity, not conflict (Dinero's rule)
printf '1 0\n0 0\n' >na.din
"$COHSIM" run -q --compat dinero $geo -c l1.alloc=no -c l1.write=through --3c --json na.json na.din
[ "$(get na.json '[j["cores"][0]["caches"]["l1"]["ccc"][c]["total"] for c in ("compulsory","capacity","conflict")]')" = "[1, 1, 0]" ]
# a real trace: the classes add up to the misses, in every cache and kind
sums='all(sum(o["ccc"][c][k] for c in ("compulsory","capacity","conflict")) == o["misses"][k] for o in caches for k in ("read","write","ifetch","misc"))'
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" | head -100000 >s.lackey
for extra in "" "--warmup 30000"; do
    # shellcheck disable=SC2086
    "$COHSIM" run -q -p x86-2 --3c $extra --json x.json s.lackey
    [ "$(python3 -c "import json; j=json.load(open('x.json')); caches=list(j['cores'][0]['caches'].values())+[j['shared']['llc']]; print($sums)")" = True ]
done
[ "$(get x.json 'j["cores"][0]["caches"]["l1d"]["ccc"]["compulsory"]["total"] > 0')" = True ]
xz -dc "$ROOT/tests/fixtures/reference/sort.din.xz" | head -100000 >s.din
"$COHSIM" run -q --compat dinero -c l2.size=1M -c l2.assoc=16 -c l1.size=8K --3c --json d.json s.din
[ "$(python3 -c "import json; j=json.load(open('d.json')); caches=list(j['cores'][0]['caches'].values()); print($sums and all(o['ccc']['conflict']['total'] > 0 for o in caches[:1]))")" = True ]
# what it refuses
status=0; "$COHSIM" run -q --compat cachegrind --3c s.lackey 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'Cachegrind does not classify misses' err.txt
status=0; "$COHSIM" run -q --compat dinero -c l1.repl=fifo --3c s.din 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'l1: --3c needs repl=lru' err.txt
echo ok
