# The RTL lockstep (model/rtl): every run of the suite agrees with the C model, request by request;
# the sort.din runs count the misses and write-backs Dinero IV counted; the fault-seeded RTL is
# stopped at each seeded fault (and agrees without one); --trace writes the RTL's VCD whole.
# The sanitizer build runs the suite without the three sort.din runs (1.5 million line accesses:
# the release build runs those).
set -eu
build=${COHSIM_BUILD:-$ROOT/build}
lockstep=$build/rtl/lockstep
[ -x "$lockstep" ] || { echo "no $lockstep: make test builds it"; exit 1; }
cd "$ROOT"
case $build in
*/san) runs=$("$lockstep" --list | grep -v '^sort-') ;;
*) runs=$("$lockstep" --list) ;;
esac
# shellcheck disable=SC2086
"$lockstep" $runs >"$TMP/out" || { cat "$TMP/out"; exit 1; }
for run in $runs; do
    grep -Eq "^lockstep $run: [1-9][0-9]* requests, [1-9][0-9]* transactions compared" "$TMP/out" ||
        { echo "no line for $run"; cat "$TMP/out"; exit 1; }
done
[ "$(wc -l <"$TMP/out")" -eq "$(echo "$runs" | wc -l)" ] || { cat "$TMP/out"; exit 1; }
sed 's/^/show: /' "$TMP/out"

# The sort.din runs against Dinero IV's own counts of the same trace and cache.
csv=tests/fixtures/reference/dinero_summary.csv
dinero() { # config column
    awk -F, -v cfg="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 == "sort" && $2 == "din" && $3 == cfg { print $c[col] }' "$csv"
}
for pair in sort-lru-wb:u32k8_lru_wbwa sort-fifo-wb:u32k8_fifo_wbwa sort-lru-wt:u32k8_lru_wtnwa; do
    run=${pair%%:*}
    grep -q "^lockstep $run:" "$TMP/out" || continue
    want="($(dinero "${pair#*:}" miss_total) misses, $(dinero "${pair#*:}" writebacks_before_final_flush) write-backs)"
    grep -q "^lockstep $run: 509119 requests, 509119 transactions compared $want$" "$TMP/out" ||
        { echo "$run: expected $want"; grep "$run" "$TMP/out"; exit 1; }
done

# A run name the suite does not have.
if "$lockstep" no-such-run 2>"$TMP/err"; then exit 1; fi
grep -q "no run called no-such-run" "$TMP/err"

case $build in */san) exit 0 ;; esac

# --trace: the waveform of one run, written whole.
"$lockstep" --trace "$TMP/w.vcd" sys2-lru-wb-sb >/dev/null
grep -q 'enddefinitions' "$TMP/w.vcd" && grep -q 'scope module cohsim_lockstep' "$TMP/w.vcd"
[ ! -e "$TMP/w.vcd.part" ]
if "$lockstep" --trace "$TMP/x.vcd" cache-tiny-lru-wb sort-lru-wb 2>/dev/null; then exit 1; fi
[ ! -e "$TMP/x.vcd" ]

# The fault-seeded copy: agrees without a fault, and stops at each one where it first shows.
fault=$build/rtl/lockstep-fault
"$fault" cache-tiny-fifo-wb sys2-lru-wb-sb sys2-lru-wb sys4-lru-wb >/dev/null
while read -r name run what; do
    "$fault" --fault "$name" --expect-difference "$run" >"$TMP/f" || { cat "$TMP/f"; exit 1; }
    grep -q "^lockstep $run: DIFFERENCE after" "$TMP/f" && grep -q "$what" "$TMP/f" ||
        { echo "$name: expected a difference naming '$what'"; cat "$TMP/f"; exit 1; }
    echo "show: lockstep-fault $name: $(sed -n 2p "$TMP/f")"
done <<'FAULTS'
fault-fifo-renew cache-tiny-fifo-wb way: C model
fault-sb-oldest sys2-lru-wb-sb the load read
fault-shared-as-e sys2-lru-wb state of line
fault-upgr-keeps sys4-lru-wb invalidations in this step
FAULTS
