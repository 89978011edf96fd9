#!/bin/sh
# bench.sh: references per second of `cohsim run` on large deterministic traces (issue 8), with
# the floor of merely reading each input; run by `make bench`, never by `make test`.
#
# Usage: bench/bench.sh COHSIM TOOLDIR JSON
#   TOOLDIR holds tracegen and timeit (bench/*.c, built by make bench) and the generated inputs.
# Environment: BENCH_RECORDS (records per row, default 3e7), BENCH_RUNS (runs per row, default 7),
# BENCH_CG_RECORDS (records per row of the callgrind column, default 1e6; 0: no such column),
# BENCH_CORE_RECORDS (records in total of each core-count row, default 1e7; its callgrind column
# runs BENCH_CG_RECORDS in total).
# The callgrind column: instructions per reference of each row's command on inputs of
# BENCH_CG_RECORDS records (made the same way, in TOOLDIR/cg), from valgrind --tool=callgrind,
# which counts every thread (a compressed row's decoder too); "-" when not measured.
#
# Inputs (made once per record count, again when tracegen changes):
#   big.din, big.bin, big.lackey   BENCH_RECORDS records of tests/fixtures/reference/sort.{din,lackey}
#                                  repeated with address offsets (bench/tracegen.c says how)
#   shared0..3.bin                 the synthetic four-core workload, BENCH_RECORDS / 4 per core
#   big.v2.bin, shared0..3.v2.bin  the binary inputs as binary version 2 (trace convert)
#   *.xz                           the same, compressed with xz -1; big.bin.zst, big.v2.bin.zst
#                                  with zstd -1
#   mem6.din.zst, mem8.din.zst     10^6 and 10^8 din records (zstd, to keep the disk use small)
#   cores-C/s0..s<C-1>.bin         the shared workload on C = 4, 8, 16, 32, 64 cores, one trace per
#                                  core, BENCH_CORE_RECORDS / C each (the same total on every C)
# Each row runs BENCH_RUNS times, in rounds (timeit: wall seconds, peak RSS): median, min and max;
# the floor beside it is `cat` (or `xz -dc`, `zstd -dc`) of the same files to /dev/null, timed
# just before each run.
set -eu
cohsim=$1
dir=$2
json=$3
n=${BENCH_RECORDS:-30000000}
runs=${BENCH_RUNS:-7}
n=$(awk -v n="$n" 'BEGIN { printf "%d", n }')
nc=$(awk -v n="${BENCH_CORE_RECORDS:-10000000}" 'BEGIN { printf "%d", n }')
core_counts="4 8 16 32 64"
ref=tests/fixtures/reference
gen=$dir/tracegen
timeit=$dir/timeit

# inputs DIR RECORDS MEMORY CORE_RECORDS: the rows' inputs of RECORDS records in DIR (the 10^6
# and 10^8 memory rows' too when MEMORY is 1), the core-count rows' of CORE_RECORDS in total.
inputs() {
    d=$1 recs=$2 memory=$3 crecs=$4
    xz -dc $ref/sort.din.xz >"$d/sort.din"
    xz -dc $ref/sort.lackey.xz >"$d/sort.lackey"
    "$gen" din "$d/sort.din" "$recs" "$d/big.din"
    "$gen" dinbin "$d/sort.din" "$recs" "$d/big.bin"
    "$gen" lackey "$d/sort.lackey" "$recs" "$d/big.lackey"
    "$gen" shared $((recs / 4)) "$d/shared"
    for f in big shared0 shared1 shared2 shared3; do
        "$cohsim" trace convert "$d/$f.bin" "$d/$f.v2.bin" --to binary
    done
    for f in big.din big.bin big.v2.bin big.lackey shared0.bin shared1.bin shared2.bin \
        shared3.bin shared0.v2.bin shared1.v2.bin shared2.v2.bin shared3.v2.bin; do
        xz -1 -T2 -c "$d/$f" >"$d/$f.xz"
    done
    for f in big.bin big.v2.bin; do
        zstd -q -1 -f "$d/$f" -o "$d/$f.zst"
    done
    for c in $core_counts; do
        rm -rf "$d/cores-$c"
        mkdir -p "$d/cores-$c"
        "$gen" shared $((crecs / c)) "$d/cores-$c/s" "$c"
    done
    if [ "$memory" = 1 ]; then
        "$gen" din "$d/sort.din" 1e6 /dev/stdout | zstd -q -1 -f -o "$d/mem6.din.zst"
        "$gen" din "$d/sort.din" 1e8 /dev/stdout | zstd -q -1 -T2 -f -o "$d/mem8.din.zst"
    fi
}

# The inputs depend on tracegen and on cohsim's binary version 2 writer.
stamp=$dir/inputs-$n-$nc
if [ ! -f "$stamp" ] || [ "$gen" -nt "$stamp" ] || [ "$cohsim" -nt "$stamp" ]; then
    echo "bench: making inputs of $n records in $dir"
    rm -f "$dir"/inputs-*
    inputs "$dir" "$n" 1 "$nc"
    touch "$stamp"
fi
cgn=$(awk -v n="${BENCH_CG_RECORDS:-1000000}" 'BEGIN { printf "%d", n }')
cgdir=$dir/cg
if [ "$cgn" -gt 0 ] && command -v valgrind >/dev/null; then
    cgstamp=$cgdir/inputs-$cgn
    if [ ! -f "$cgstamp" ] || [ "$gen" -nt "$cgstamp" ] || [ "$cohsim" -nt "$cgstamp" ]; then
        echo "bench: making the callgrind inputs of $cgn records in $cgdir"
        mkdir -p "$cgdir"
        rm -f "$cgdir"/inputs-*
        inputs "$cgdir" "$cgn" 0 "$cgn"
        touch "$cgstamp"
    fi
else
    cgn=0
fi

# Runs go round-robin: round k times every row once, so that a slow spell of the machine (this
# is meant for shared 2-core virtual machines) spreads over all rows instead of sinking one.
samples=$dir/samples.txt
: >"$samples"
# sample NAME RECORDS TARGET FLOOR_CMD COHSIM_ARGS...: one timed run of the floor, then of the row.
# TARGET is M refs/s, or xN for N times the M refs/s of row N's uncompressed figure (row number),
# or - for none.
sample() {
    name=$1 recs=$2 target=$3 floor=$4
    shift 4
    # shellcheck disable=SC2086 # FLOOR_CMD is a command line of fixed words
    f=$("$timeit" 1 $floor)
    r=$("$timeit" 1 "$cohsim" "$@")
    echo "$name $recs $target $r $f" >>"$samples"
}

# The rows, one a line: NAME|TARGET|FLOOR_CMD|COHSIM_ARGS, with D the inputs' directory (the timed
# one, or the callgrind one). A compressed row's floor is its decoder's alone.
row_list() {
    D=$1
    s4() { echo "$D/shared0$1 $D/shared1$1 $D/shared2$1 $D/shared3$1"; }
    x4="run -q --preset x86-4 --address-spaces shared"
    echo "dinero-din|100|cat $D/big.din|run -q --compat dinero $D/big.din"
    echo "dinero-binary|150|cat $D/big.bin|run -q --preset dinero $D/big.bin"
    echo "cachegrind-lackey|100|cat $D/big.lackey|run -q --compat cachegrind $D/big.lackey"
    echo "x86-4-binary|30|cat $(s4 .bin)|$x4 $(s4 .bin)"
    echo "dinero-din.xz|x1|xz -dc $D/big.din.xz|run -q --compat dinero $D/big.din.xz"
    echo "dinero-binary.xz|x2|xz -dc $D/big.bin.xz|run -q --preset dinero $D/big.bin.xz"
    echo "cachegrind-lackey.xz|x3|xz -dc $D/big.lackey.xz|run -q --compat cachegrind $D/big.lackey.xz"
    echo "x86-4-binary.xz|x4|xz -dc $(s4 .bin.xz)|$x4 $(s4 .bin.xz)"
    echo "dinero-binary.zst|x2|zstd -dc $D/big.bin.zst|run -q --preset dinero $D/big.bin.zst"
    echo "dinero-binary-v2|150|cat $D/big.v2.bin|run -q --preset dinero $D/big.v2.bin"
    echo "dinero-binary-v2.xz|x10|xz -dc $D/big.v2.bin.xz|run -q --preset dinero $D/big.v2.bin.xz"
    echo "dinero-binary-v2.zst|x10|zstd -dc $D/big.v2.bin.zst|run -q --preset dinero $D/big.v2.bin.zst"
    echo "x86-4-binary-v2|30|cat $(s4 .v2.bin)|$x4 $(s4 .v2.bin)"
    echo "x86-4-binary-v2.xz|x13|xz -dc $(s4 .v2.bin.xz)|$x4 $(s4 .v2.bin.xz)"
}
# The core-count rows, one a line as row_list's: x86-4 made C cores, one trace per core.
core_rows() {
    D=$1
    for c in $core_counts; do
        i=0 t=
        while [ "$i" -lt "$c" ]; do
            t="$t $D/cores-$c/s$i.bin"
            i=$((i + 1))
        done
        echo "cores-$c|-|cat$t|run -q --preset x86-4 -c machine.cores=$c --address-spaces shared$t"
    done
}
every_row() {
    row_list "$dir" | while IFS='|' read -r name target floor args; do
        # shellcheck disable=SC2086 # the row's words (paths without blanks)
        sample "$name" "$n" "$target" "$floor" $args
    done
    core_rows "$dir" | while IFS='|' read -r name target floor args; do
        # shellcheck disable=SC2086
        sample "$name" "$nc" "$target" "$floor" $args
    done
    d=$dir
    sample memory-1e6.zst 1000000 - "zstd -dc $d/mem6.din.zst" run -q --compat dinero "$d/mem6.din.zst"
    sample memory-1e8.zst 100000000 - "zstd -dc $d/mem8.din.zst" run -q --compat dinero "$d/mem8.din.zst"
}

# The callgrind column: NAME IR_PER_REF per row, in cg.txt (none when cgn is 0).
cgtxt=$dir/cg.txt
: >"$cgtxt"
if [ "$cgn" -gt 0 ]; then
    echo "bench: callgrind on $cgn records per row"
    { row_list "$cgdir"; core_rows "$cgdir"; } | while IFS='|' read -r name target floor args; do
        # shellcheck disable=SC2086
        ir=$(nice valgrind --tool=callgrind --callgrind-out-file=/dev/null "$cohsim" $args 2>&1 |
            sed -n 's/.*Collected : *//p' | tail -1)
        [ -n "$ir" ] && echo "$name $(awk -v i="$ir" -v n="$cgn" 'BEGIN { printf "%.1f", i / n }')" >>"$cgtxt"
    done
fi
# What version 2 saves: file sizes, v2 over v1.
size_ratio() { awk -v a="$(wc -c <"$1")" -v b="$(wc -c <"$2")" 'BEGIN { printf "%d -> %d bytes (%.3f)", a, b, b / a }'; }
echo "bench: binary v2 / v1 file size: big $(size_ratio "$dir/big.bin" "$dir/big.v2.bin"), shared0 $(size_ratio "$dir/shared0.bin" "$dir/shared0.v2.bin"), big.xz $(size_ratio "$dir/big.bin.xz" "$dir/big.v2.bin.xz")"

echo "bench: $runs rounds of every row, $n records per row ($nc in total on each core-count row)"
round=1
while [ "$round" -le "$runs" ]; do
    every_row
    echo "bench: round $round of $runs done"
    round=$((round + 1))
done

# One line per row, in the order of the rounds, from its samples (NAME RECORDS TARGET T T T RSS
# FT FT FT FRSS): NAME RECORDS TARGET MED MIN MAX RSS FMED FMIN FMAX FRSS, medians of the runs,
# the largest peak memory.
rows=$dir/rows.txt
awk '
function sort(a, k,    i, j, v) {
    for (i = 2; i <= k; i++) {
        v = a[i]
        for (j = i - 1; j >= 1 && a[j] > v; j--)
            a[j + 1] = a[j]
        a[j + 1] = v
    }
}
function median(a, k) { return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
{
    if (!($1 in k)) { order[++nrows] = $1; recs[$1] = $2; tgt[$1] = $3 }
    i = ++k[$1]
    t[$1, i] = $4; ft[$1, i] = $8
    if ($7 > rss[$1]) rss[$1] = $7
    if ($11 > frss[$1]) frss[$1] = $11
}
END {
    for (r = 1; r <= nrows; r++) {
        name = order[r]; n = k[name]
        for (i = 1; i <= n; i++) { a[i] = t[name, i]; b[i] = ft[name, i] }
        sort(a, n); sort(b, n)
        printf "%s %s %s %.4f %.4f %.4f %d %.4f %.4f %.4f %d\n", name, recs[name], tgt[name],
               median(a, n), a[1], a[n], rss[name], median(b, n), b[1], b[n], frss[name]
    }
}' "$samples" >"$rows"

# The table and the JSON from rows.txt: NAME RECORDS TARGET MED MIN MAX RSS FMED FMIN FMAX FRSS.
awk -v json="$json.tmp" -v runs="$runs" -v cgtxt="$cgtxt" '
BEGIN { while ((getline line < cgtxt) > 0) { split(line, f, " "); ir[f[1]] = f[2] } }
{
    name[NR] = $1; recs[NR] = $2; tgt[NR] = $3; med[NR] = $4; mn[NR] = $5; mx[NR] = $6
    rss[NR] = $7; fmed[NR] = $8; rate[NR] = $2 / $4 / 1e6; frate[NR] = $2 / $8 / 1e6
}
END {
    printf "\n%-22s %10s %9s %17s %9s %11s %9s %9s %8s %7s %s\n", "row", "records", "median s",
           "min-max s", "M refs/s", "target", "floor s", "floor M/s", "peak MiB", "Ir/ref", "met"
    printf "{\n  \"runs\": %d,\n  \"rows\": [\n", runs > json
    for (i = 1; i <= NR; i++) {
        t = tgt[i]; tv = ""; met = "-"
        if (t ~ /^x/) { tv = 0.8 * rate[substr(t, 2) + 0]; t = sprintf(">=%.1f", tv) }
        else if (t != "-") { tv = t + 0; t = ">=" t }
        if (tv != "") met = rate[i] >= tv ? "yes" : "no"
        irv = (name[i] in ir) ? ir[name[i]] : "-"
        printf "%-22s %10d %9.3f %8.3f-%-8.3f %9.1f %11s %9.3f %9.1f %8.1f %7s %s\n", name[i], recs[i],
               med[i], mn[i], mx[i], rate[i], t, fmed[i], frate[i], rss[i] / 1024, irv, met
        printf "    {\"row\": \"%s\", \"records\": %d, \"median_s\": %.4f, \"min_s\": %.4f, " \
               "\"max_s\": %.4f, \"mrefs_per_s\": %.2f, \"target_mrefs_per_s\": %s, " \
               "\"floor_median_s\": %.4f, \"floor_mrefs_per_s\": %.2f, \"peak_rss_kib\": %d, " \
               "\"ir_per_ref\": %s, \"met\": %s}%s\n", name[i], recs[i], med[i], mn[i], mx[i], rate[i],
               tv == "" ? "null" : sprintf("%.2f", tv), fmed[i], frate[i], rss[i],
               irv == "-" ? "null" : irv,
               met == "-" ? "null" : (met == "yes" ? "true" : "false"), i < NR ? "," : "" > json
    }
    printf "  ]\n}\n" > json
    m6 = rss[NR - 1] / 1024; m8 = rss[NR] / 1024
    printf "\npeak memory: %.1f MiB on 10^6 records, %.1f MiB on 10^8 (target: the same, under 64 MiB): %s\n",
           m6, m8, (m8 <= m6 * 1.05 + 1 && m8 < 64) ? "met" : "not met"
}' "$rows"
mv "$json.tmp" "$json"
# The core-count rows against 4 cores: time per reference, instructions per reference, peak memory.
awk -v cgtxt="$cgtxt" '
BEGIN { while ((getline line < cgtxt) > 0) { split(line, f, " "); ir[f[1]] = f[2] } }
$1 ~ /^cores-/ { c = substr($1, 7) + 0; nc[++k] = c; ns[c] = $4 / $2 * 1e9; rss[c] = $7 / 1024; irc[c] = ($1 in ir) ? ir[$1] : "-" }
END {
    if (!k) exit
    printf "\n%-6s %12s %9s %12s %9s\n", "cores", "ns/ref", "x 4 cores", "Ir/ref", "peak MiB"
    for (i = 1; i <= k; i++) {
        c = nc[i]
        printf "%-6d %12.1f %9.2f %12s %9.1f\n", c, ns[c], ns[c] / ns[4], irc[c], rss[c]
    }
    r = ns[64] / ns[4]
    printf "\ntime per reference at 64 cores: %.2fx that at 4 (target: at most 1.5x): %s\n", r,
           r <= 1.5 ? "met" : "not met"
    printf "peak memory at 64 cores: %.1f MiB (target: at most 64): %s\n", rss[64],
           rss[64] <= 64 ? "met" : "not met"
}' "$rows"
echo "bench: wrote $json"
