#!/bin/sh
# bench.sh: references per second of `cohsim run` on large deterministic traces (issue 8), with
# the floor of merely reading each input; run by `make bench`, never by `make test`.
#
# Usage: bench/bench.sh COHSIM TOOLDIR JSON
#   TOOLDIR holds tracegen and timeit (bench/*.c, built by make bench) and the generated inputs.
# Environment: BENCH_RECORDS (records per row, default 3e7), BENCH_RUNS (runs per row, default 7),
#   BENCH_CORE_RECORDS (records in total of each core-count row, default 1e7), BENCH_IR_RECORDS
#   (records in total of the callgrind run behind each core-count row's instructions per
#   reference, default 1e6; 0 skips callgrind).
#
# Inputs (made once per record count, again when tracegen changes):
#   big.din, big.bin, big.lackey   BENCH_RECORDS records of tests/fixtures/reference/sort.{din,lackey}
#                                  repeated with address offsets (bench/tracegen.c says how)
#   shared0..3.bin                 the synthetic four-core workload, BENCH_RECORDS / 4 per core
#   *.xz                           the same, compressed with xz -1
#   mem6.din.zst, mem8.din.zst     10^6 and 10^8 din records (zstd, to keep the disk use small)
#   cores-C/s0..s<C-1>.bin         the shared workload on C = 4, 8, 16, 32, 64 cores, one trace per
#                                  core, BENCH_CORE_RECORDS / C each (the same total on every C)
#   ir-C/s0..s<C-1>.bin            the same with BENCH_IR_RECORDS in total, for callgrind
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
nir=$(awk -v n="${BENCH_IR_RECORDS:-1000000}" 'BEGIN { printf "%d", n }')
core_counts="4 8 16 32 64"
ref=tests/fixtures/reference
gen=$dir/tracegen
timeit=$dir/timeit

stamp=$dir/inputs-$n-$nc-$nir
if [ ! -f "$stamp" ] || [ "$gen" -nt "$stamp" ]; then
    echo "bench: making inputs of $n records in $dir"
    rm -f "$dir"/inputs-*
    xz -dc $ref/sort.din.xz >"$dir/sort.din"
    xz -dc $ref/sort.lackey.xz >"$dir/sort.lackey"
    "$gen" din "$dir/sort.din" "$n" "$dir/big.din"
    "$gen" dinbin "$dir/sort.din" "$n" "$dir/big.bin"
    "$gen" lackey "$dir/sort.lackey" "$n" "$dir/big.lackey"
    "$gen" shared $((n / 4)) "$dir/shared"
    for f in big.din big.bin big.lackey shared0.bin shared1.bin shared2.bin shared3.bin; do
        xz -1 -T2 -c "$dir/$f" >"$dir/$f.xz"
    done
    "$gen" din "$dir/sort.din" 1e6 /dev/stdout | zstd -q -1 -f -o "$dir/mem6.din.zst"
    "$gen" din "$dir/sort.din" 1e8 /dev/stdout | zstd -q -1 -T2 -f -o "$dir/mem8.din.zst"
    for c in $core_counts; do
        rm -rf "$dir/cores-$c" "$dir/ir-$c"
        mkdir -p "$dir/cores-$c" "$dir/ir-$c"
        "$gen" shared $((nc / c)) "$dir/cores-$c/s" "$c"
        [ "$nir" -gt 0 ] && "$gen" shared $((nir / c)) "$dir/ir-$c/s" "$c"
    done
    touch "$stamp"
fi

# The traces of the C-core rows, in core order (s0 .. s<C-1>).
core_traces() {
    i=0 list=
    while [ "$i" -lt "$2" ]; do
        list="$list $dir/$1-$2/s$i.bin"
        i=$((i + 1))
    done
    echo "$list"
}

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

d=$dir
shared="$d/shared0.bin $d/shared1.bin $d/shared2.bin $d/shared3.bin"
sharedxz="$d/shared0.bin.xz $d/shared1.bin.xz $d/shared2.bin.xz $d/shared3.bin.xz"
every_row() {
    sample dinero-din "$n" 50 "cat $d/big.din" run -q --compat dinero "$d/big.din"
    sample dinero-binary "$n" 150 "cat $d/big.bin" run -q --preset dinero "$d/big.bin"
    sample cachegrind-lackey "$n" 40 "cat $d/big.lackey" run -q --compat cachegrind "$d/big.lackey"
    # shellcheck disable=SC2086
    sample x86-4-binary "$n" 30 "cat $shared" run -q --preset x86-4 --address-spaces shared $shared
    sample dinero-din.xz "$n" x1 "xz -dc $d/big.din.xz" run -q --compat dinero "$d/big.din.xz"
    sample dinero-binary.xz "$n" x2 "xz -dc $d/big.bin.xz" run -q --preset dinero "$d/big.bin.xz"
    sample cachegrind-lackey.xz "$n" x3 "xz -dc $d/big.lackey.xz" run -q --compat cachegrind "$d/big.lackey.xz"
    # shellcheck disable=SC2086
    sample x86-4-binary.xz "$n" x4 "xz -dc $sharedxz" run -q --preset x86-4 --address-spaces shared $sharedxz
    for c in $core_counts; do
        t=$(core_traces cores "$c")
        # shellcheck disable=SC2086
        sample "cores-$c" "$nc" - "cat $t" run -q --preset x86-4 -c machine.cores="$c" \
            --address-spaces shared $t
    done
    sample memory-1e6.zst 1000000 - "zstd -dc $d/mem6.din.zst" run -q --compat dinero "$d/mem6.din.zst"
    sample memory-1e8.zst 100000000 - "zstd -dc $d/mem8.din.zst" run -q --compat dinero "$d/mem8.din.zst"
}
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
awk -v json="$json.tmp" -v runs="$runs" '
{
    name[NR] = $1; recs[NR] = $2; tgt[NR] = $3; med[NR] = $4; mn[NR] = $5; mx[NR] = $6
    rss[NR] = $7; fmed[NR] = $8; rate[NR] = $2 / $4 / 1e6; frate[NR] = $2 / $8 / 1e6
}
END {
    printf "\n%-22s %10s %9s %17s %9s %11s %9s %9s %8s %s\n", "row", "records", "median s",
           "min-max s", "M refs/s", "target", "floor s", "floor M/s", "peak MiB", "met"
    printf "{\n  \"runs\": %d,\n  \"rows\": [\n", runs > json
    for (i = 1; i <= NR; i++) {
        t = tgt[i]; tv = ""; met = "-"
        if (t ~ /^x/) { tv = 0.8 * rate[substr(t, 2) + 0]; t = sprintf(">=%.1f", tv) }
        else if (t != "-") { tv = t + 0; t = ">=" t }
        if (tv != "") met = rate[i] >= tv ? "yes" : "no"
        printf "%-22s %10d %9.3f %8.3f-%-8.3f %9.1f %11s %9.3f %9.1f %8.1f %s\n", name[i], recs[i],
               med[i], mn[i], mx[i], rate[i], t, fmed[i], frate[i], rss[i] / 1024, met
        printf "    {\"row\": \"%s\", \"records\": %d, \"median_s\": %.4f, \"min_s\": %.4f, " \
               "\"max_s\": %.4f, \"mrefs_per_s\": %.2f, \"target_mrefs_per_s\": %s, " \
               "\"floor_median_s\": %.4f, \"floor_mrefs_per_s\": %.2f, \"peak_rss_kib\": %d, " \
               "\"met\": %s}%s\n", name[i], recs[i], med[i], mn[i], mx[i], rate[i],
               tv == "" ? "null" : sprintf("%.2f", tv), fmed[i], frate[i], rss[i],
               met == "-" ? "null" : (met == "yes" ? "true" : "false"), i < NR ? "," : "" > json
    }
    printf "  ]\n}\n" > json
    m6 = rss[NR - 1] / 1024; m8 = rss[NR] / 1024
    printf "\npeak memory: %.1f MiB on 10^6 records, %.1f MiB on 10^8 (target: the same, under 64 MiB): %s\n",
           m6, m8, (m8 <= m6 * 1.05 + 1 && m8 < 64) ? "met" : "not met"
}' "$rows"

# The core-count rows: time per reference against 4 cores, instructions per reference counted by
# callgrind on the smaller ir-C inputs (whole process: reading the traces included), peak memory.
irs=$dir/irs.txt
: >"$irs"
if [ "$nir" -gt 0 ] && command -v valgrind >/dev/null 2>&1; then
    for c in $core_counts; do
        t=$(core_traces ir "$c")
        # shellcheck disable=SC2086
        ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$cohsim" run -q \
                 --preset x86-4 -c machine.cores="$c" --address-spaces shared $t 2>&1 |
             sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p')
        echo "$c $ir" >>"$irs"
    done
fi
awk -v irs="$irs" -v nir="$nir" '
BEGIN { while ((getline line < irs) > 0) { split(line, f, " "); ir[f[1]] = f[2] } }
$1 ~ /^cores-/ {
    c = substr($1, 7) + 0; nc[++k] = c; ns[c] = $4 / $2 * 1e9; rss[c] = $7 / 1024
}
END {
    if (!k) exit
    printf "\n%-6s %12s %9s %12s %9s\n", "cores", "ns/ref", "x 4 cores", "Ir/ref", "peak MiB"
    for (i = 1; i <= k; i++) {
        c = nc[i]
        irc = (c in ir) && ir[c] != "" ? sprintf("%.1f", ir[c] / nir) : "-"
        printf "%-6d %12.1f %9.2f %12s %9.1f\n", c, ns[c], ns[c] / ns[4], irc, rss[c]
    }
    r = ns[64] / ns[4]
    printf "\ntime per reference at 64 cores: %.2fx that at 4 (target: at most 1.5x): %s\n", r,
           r <= 1.5 ? "met" : "not met"
    printf "peak memory at 64 cores: %.1f MiB (target: at most 64): %s\n", rss[64],
           rss[64] <= 64 ? "met" : "not met"
}' "$rows"
# The same figures in the JSON: each core-count row gains instructions per reference.
awk -v irs="$irs" -v nir="$nir" '
BEGIN { while ((getline line < irs) > 0) { split(line, f, " "); ir[f[1]] = f[2] } }
/"row": "cores-[0-9]*"/ {
    c = $0; sub(/.*"row": "cores-/, "", c); sub(/".*/, "", c)
    v = (c in ir) && ir[c] != "" ? sprintf("%.1f", ir[c] / nir) : "null"
    sub(/"met": /, "\"ir_per_ref\": " v ", \"met\": ")
}
{ print }' "$json.tmp" >"$json.tmp2"
mv "$json.tmp2" "$json"
rm -f "$json.tmp"
echo "bench: wrote $json"
