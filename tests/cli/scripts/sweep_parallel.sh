# A small sweep run end to end through GNU Parallel: every result, a CSV whose numbers are those
# of `cohsim run` on the same point, byte-identical CSVs from a second sweep and from a second run
# over finished results, and the same ids and results from the spec reordered and respelled.
set -eu
command -v parallel >/dev/null || { echo "SKIP GNU Parallel (Debian: parallel) is not installed"; exit 77; }
spec=$ROOT/tests/fixtures/sweep/small.ini
cd "$TMP"
"$COHSIM" sweep "$spec" --out a --run -j 2 > run.log
grep -q '^sweep: 12 runs (6 points x 2 traces), 0 done, 12 to run' run.log
grep -q '^sweep: 12 of 12 results complete in a$' run.log
[ "$(ls a/*.json | wc -l)" -eq 12 ]
[ "$(awk 'NR > 1 && $7 == 0' a/joblog | wc -l)" -eq 12 ]    # GNU Parallel's joblog: 12 jobs, exit 0
"$COHSIM" sweep "$spec" --out a --collect --csv a.csv --svg a.svg --x l1d.size --y l1d_miss_rate \
    --series l1d.repl >/dev/null
[ "$(wc -l < a.csv)" -eq 13 ]
head -1 a.csv | grep -q '^id,trace,l1d.size,l1d.repl,cycles,l1d_accesses,l1d_misses,l1d_miss_rate,l1i_accesses,l1i_misses,l1i_miss_rate,bus_transactions,invalidations,interventions,ipis,sb_full_stalls,stall_cycles$'

# The numbers are cohsim run's: one point by hand, its misses, accesses, rate and cycles.
"$COHSIM" run -q --preset dinero-split -c l1d.size=2K -c l1d.repl=fifo --json direct.json \
    "$ROOT/tests/fixtures/sweep/small2.din"
want=$(python3 -c '
import json; d = json.load(open("direct.json")); c = d["cores"][0]["caches"]["l1d"]
a, m = c["accesses"]["total"], c["misses"]["total"]
print("%d,%d,%d,%.6f" % (d["cycles"], a, m, m / a))')
got=$(awk -F, '$3 == "2K" && $4 == "fifo" && $2 ~ /small2.din$/ {print $5 "," $6 "," $7 "," $8}' a.csv)
[ "$got" = "$want" ] || { echo "CSV row $got, cohsim run $want"; exit 1; }
grep -c '<polyline' a.svg | grep -qx 2                                  # a line per policy
grep -q '>l1d.size (bytes, log scale)<' a.svg && grep -q '>fifo<' a.svg && grep -q '>4K<' a.svg

# Twice: nothing runs again (every job finds its result: same inodes and times), and the CSV is
# byte-identical.
# This time through GNU Parallel's host list (--slf; ':' is this machine, so no ssh is needed),
# the path of a sweep over several machines. (sweep_resume.sh compares with a sweep from scratch.)
stat -c '%n %i %Y' a/*.json > before
echo : > hosts
"$COHSIM" sweep "$spec" --out a --run --slf hosts > again.log
grep -q '12 done, 0 to run' again.log
[ "$(awk 'NR > 1 && $7 == 0' a/joblog | wc -l)" -eq 12 ]    # every job ran, and found its result
stat -c '%n %i %Y' a/*.json | cmp - before
"$COHSIM" sweep "$spec" --out a --collect --csv a2.csv >/dev/null
cmp a.csv a2.csv

# The spec reordered and respelled (4096 for 4K) names the same results: nothing to run.
cp "$ROOT/tests/fixtures/sweep/reordered.ini" "$ROOT/tests/fixtures/sweep/small.din" \
   "$ROOT/tests/fixtures/sweep/small2.din" .
"$COHSIM" sweep reordered.ini --out a > reordered.log
[ "$(grep -c '(2/2 done)$' reordered.log)" -eq 6 ]
"$COHSIM" sweep reordered.ini --out a --collect --csv r.csv >/dev/null
[ "$(cut -d, -f1 r.csv | sort)" = "$(cut -d, -f1 a.csv | sort)" ]
