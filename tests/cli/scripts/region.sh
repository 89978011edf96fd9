# --skip, --warmup, --max and roi begin / roi end: what is skipped is never simulated, a warm-up
# is simulated and then forgotten by every statistic, --max stops each trace, a reset changes no
# timing, and the JSON says what was skipped, warmed and measured.
set -eu
cd "$TMP"
# 64 lines loaded twice: the first pass misses (cold), the second hits (the lines fit in an L1)
{ for pass in 1 2; do i=0; while [ $i -lt 64 ]; do
      printf '0 load 0x%x 8\n' $((0x10000 + i * 64)); i=$((i + 1)); done; done; } >two.trace
get() { # FILE PYTHON-EXPR on the JSON as j
    python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
"$COHSIM" run -q -p x86-2 --json all.json two.trace
[ "$(get all.json 'j["cores"][0]["caches"]["l1d"]["misses"]["total"]')" = 64 ]
# warm-up of the first pass: every measured access hits
"$COHSIM" run -q -p x86-2 --warmup 64 --json warm.json two.trace
[ "$(get warm.json 'j["cores"][0]["caches"]["l1d"]["misses"]["total"]')" = 0 ]
[ "$(get warm.json 'j["cores"][0]["caches"]["l1d"]["accesses"]["total"]')" = 64 ]
[ "$(get warm.json 'j["cores"][0]["ops"]["load"]')" = 64 ]
[ "$(get warm.json '[j["region"]["traces"][0][k] for k in ("skipped","warmup","measured")]')" = "[0, 64, 64]" ]
# the reset changes no timing: the same cycles as the run without it
[ "$(get warm.json 'j["cycles"]')" = "$(get all.json 'j["cycles"]')" ]
[ "$(get warm.json 'j["region"]["start_cycle"] > 0')" = True ]
# skipping the first pass: it is never simulated, so the second misses as the first did
"$COHSIM" run -q -p x86-2 --skip 64 --json skip.json two.trace
[ "$(get skip.json 'j["cores"][0]["caches"]["l1d"]["misses"]["total"]')" = 64 ]
[ "$(get skip.json '[j["region"]["traces"][0][k] for k in ("skipped","warmup","measured")]')" = "[64, 0, 64]" ]
# --max: 10 measured records after a skip of 5 and a warm-up of 59 (lines 5-63): lines 0-4 miss
"$COHSIM" run -q -p x86-2 --skip 5 --warmup 59 --max 10 --json max.json two.trace
[ "$(get max.json '[j["region"]["traces"][0][k] for k in ("skipped","warmup","measured")]')" = "[5, 59, 10]" ]
[ "$(get max.json 'j["cores"][0]["ops"]["load"]')" = 10 ]
[ "$(get max.json 'j["cores"][0]["caches"]["l1d"]["misses"]["total"]')" = 5 ]
# the same region marked in the trace: roi begin after the first pass, roi end after 10 more
{ head -64 two.trace; echo 'roi begin'; sed -n '65,74p' two.trace; echo 'roi end'; tail -54 two.trace; } >roi.trace
"$COHSIM" run -q -p x86-2 --json roi.json roi.trace
[ "$(get roi.json 'j["cores"][0]["ops"]["load"]')" = 10 ]
[ "$(get roi.json 'j["cores"][0]["caches"]["l1d"]["misses"]["total"]')" = 0 ]
[ "$(get roi.json 'j["region"]["traces"][0]["roi_end"]')" = True ]
"$COHSIM" run -p x86-2 roi.trace | grep -q 'roi.trace: 0 records skipped, 65 simulated as warm-up, 10 measured (stopped at roi end)'
# one trace per core: the statistics are reset once, when both have done their warm-up; each
# core's measured records are its own, and warm-up plus measured is the whole trace
"$COHSIM" run -q -p x86-2 --warmup 64 --json two.json two.trace two.trace
[ "$(get two.json 'j["region"]["resets"]')" = 1 ]
[ "$(get two.json 'all(t["warmup"] >= 64 and t["warmup"] + t["measured"] == 128 for t in j["region"]["traces"])')" = True ]
[ "$(get two.json '[t["measured"] for t in j["region"]["traces"]] == [c["ops"]["load"] for c in j["cores"]]')" = True ]
# a trace shorter than its warm-up measures nothing, and says so
"$COHSIM" run -q -p x86-2 --warmup 1000 --json long.json two.trace
[ "$(get long.json '[j["region"]["traces"][0][k] for k in ("warmup","measured")]')" = "[128, 0]" ]
# the OS layer's counters are reset with the others: a warm-up's primitive call and the pages it
# wrote and read are not counted (cc_flush_and_purge makes two calls; a roi begin after the first)
sed '/^release log.dat/{x;s/^/x/;/^x$/{x;s/$/\nroi begin/;b};x}' "$ROOT/traces/examples/cc_flush_and_purge.trace" >os.trace
[ "$(grep -c '^roi begin' os.trace)" = 1 ]
"$COHSIM" run -q -p x86-4 --json os.json os.trace
[ "$(get os.json 'j["primitives"]["CcCoherencyFlushAndPurgeCache"]["calls"]')" = 1 ]
[ "$(get os.json '[j["files"][0][k] for k in ("pages_written","pages_purged","pages_read")]')" = "[1, 0, 2]" ]
# bad values, and the compat modes (which count whole traces)
for bad in '--max 0' '--warmup -1' '--skip x'; do
    status=0; "$COHSIM" run $bad two.trace 2>err.txt || status=$?
    [ "$status" -eq 2 ] && grep -q 'expected a number of records' err.txt
done
status=0; "$COHSIM" run --compat dinero --warmup 5 x.din 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'not available with --compat' err.txt
# a bad roi line names its line
printf 'roi start\n' >bad.trace
status=0; "$COHSIM" run bad.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "bad.trace:1: expected 'roi begin' or 'roi end'" err.txt
echo ok
