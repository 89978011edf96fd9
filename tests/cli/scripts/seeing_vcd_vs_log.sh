#!/bin/sh
# --vcd against --explain: the waveform of a run, read back by a real VCD reader (GTKWave's
# vcd2fst, then fst2vcd), holds at each chosen cycle the values the narrated log of the same run
# states there: the bus transaction and its line, each core's store-buffer occupancy, a cache's
# state after a fill or a state change, an IPI pending and the primitive that sent it.
set -eu
if ! command -v vcd2fst >/dev/null || ! command -v fst2vcd >/dev/null; then
    echo "SKIP vcd2fst/fst2vcd absent (Debian package gtkwave; scripts/setup.sh installs it)"
    exit 77
fi

# check NAME ARGS...: run cohsim ARGS with both views, read the waveform back, compare.
check() {
    name=$1
    shift
    "$COHSIM" "$@" --explain-to "$TMP/$name.log" --vcd "$TMP/$name.vcd" >/dev/null 2>&1 || true
    [ -s "$TMP/$name.log" ] && [ -s "$TMP/$name.vcd" ] || { echo "$name: no log or waveform"; exit 1; }
    vcd2fst "$TMP/$name.vcd" "$TMP/$name.fst" >/dev/null 2>&1
    fst2vcd "$TMP/$name.fst" >"$TMP/$name.back.vcd" 2>/dev/null
    # the queries: SIGNAL CYCLE EXPECTED, from the log; for one signal at one cycle the last
    # line that states it wins (the waveform shows the value at the cycle's end)
    awk '
    $1 != "cycle" { next }
    {
        c = $2; who = $3; rest = $0; sub(/^cycle +[0-9]+  [a-z0-9]+ +/, "", rest)
        if (who == "bus") {
            split($5, a, " ")
            q["bus.transaction " c] = $4 "_by_" substr($7, 1, length($7) - 1)
            q["bus.line " c] = $5
            nbus[c]++
        } else if (who ~ /^cpu/) {
            if (match(rest, /\([0-9]+\/[0-9]+( left)?\)/)) {
                s = substr(rest, RSTART + 1, RLENGTH - 2); sub(/\/.*/, "", s)
                q[who ".store_buffer " c] = s
            }
            if (match(rest, /^L1D 0x[0-9a-f]+ filled in [SEOM]/) || match(rest, /^L1D 0x[0-9a-f]+ [SEOMI]->[SEOMI] /)) {
                st = rest; sub(/ \(.*/, "", st); sub(/, dirty/, "", st)
                n = split(st, w, " "); last = w[n]; sub(/.*->/, "", last)
                q["line_" $5 "." who "_L1D " c] = last
            }
            if (match(rest, /IPI -> /)) {
                split(substr(rest, RSTART + 7), t, ", ")
                for (k in t) q[t[k] ".ipi_pending " c] = 1
                if (match(rest, /^[A-Za-z]+: IPI/)) {
                    p = rest; sub(/:.*/, "", p); q[who ".primitive " c] = p
                }
            }
            if (rest ~ /^IPI handler done/) q[who ".ipi_pending " c] = 0
        }
    }
    END {
        for (k in q) {
            split(k, a, " ")
            # two transactions in one cycle: the waveform shows the last; skip
            if (a[1] ~ /^bus\./ && nbus[a[2]] > 1) continue
            print a[1], a[2], q[k]
        }
    }' "$TMP/$name.log" >"$TMP/$name.queries"
    awk -v name="$name" '
    function bin2dec(b,   i, v) { v = 0; for (i = 1; i <= length(b); i++) v = v * 2 + substr(b, i, 1); return v }
    FNR == NR { nq++; qs[nq] = $1; qt[nq] = $2; qe[nq] = $3; next }
    /^\$scope/ { sc[++d] = $3; next }
    /^\$upscope/ { d--; next }
    /^\$var/ { p = ""; for (i = 2; i <= d; i++) p = p sc[i] "."; id[p $5] = $4; next }
    /^#/ { t = substr($0, 2) + 0; next }
    /^\$/ || NF == 0 { next }
    {
        c = substr($0, 1, 1)
        if (c == "s" || c == "b") { split(substr($0, 2), a, " "); v = a[1]; k = a[2]; if (c == "b") v = bin2dec(v) }
        else { v = c; k = substr($0, 2) }
        nch[k]++; ct[k, nch[k]] = t; cv[k, nch[k]] = v
    }
    END {
        bad = 0; ok = 0
        for (i = 1; i <= nq; i++) {
            k = id[qs[i]]
            if (k == "") continue # a line the waveform does not show
            v = ""
            for (j = 1; j <= nch[k] && ct[k, j] <= qt[i]; j++) v = cv[k, j]
            if (v "" == qe[i] "") ok++
            else { bad++; print name ": " qs[i] " at cycle " qt[i] ": the waveform has " v ", the log says " qe[i] }
        }
        print name ": " ok " values agree, " bad " differ"
        exit bad > 0 || ok < 20
    }' "$TMP/$name.queries" "$TMP/$name.back.vcd"
}

check demo run traces/examples/demo.trace
check fpwb run -p x86-4 traces/examples/flush_process_write_buffers.trace
check mp run traces/examples/message_passing.trace
check demo_window run --cycles 1040:2500 traces/examples/demo.trace
check sb litmus tests/fixtures/litmus/SB.litmus
check spinlock exec isa/examples/spinlock.s
# the primitive and the IPIs are among what was compared
grep -q "primitive" "$TMP/fpwb.queries" && grep -q "ipi_pending" "$TMP/fpwb.queries"
