#!/bin/sh
# --html: every example of traces/examples/ and isa/examples/ (on the preset its header names) and
# the SB and MP litmus tests write a page; each is one self-contained file (no src, href, link or
# import that a browser would fetch), has as many steps as the --explain log of the same run has
# lines, each step's narration being that line; the run prints what it prints without --html; no
# step of these runs (no bug injected) is marked as a broken invariant, nor as a failed check when
# the run passes (barrier_nofpwb.s's assert fails, as it is meant to), while a run with
# a bug injected under --check marks exactly the step of its broken invariant (and a failed
# checked load, assert or expect line marks its step). --max-events cuts a page, which says where;
# a page that cannot be written leaves nothing.
set -eu
cd "$ROOT"

# page CMD FILE [ARGS...]
page() {
    cmd=$1
    file=$2
    shift 2
    "$COHSIM" "$cmd" "$@" "$file" >"$TMP/plain" 2>&1 && rc=0 || rc=$?
    echo "[exit $rc]" >>"$TMP/plain"
    rm -f "$TMP/p.html" "$TMP/log"
    "$COHSIM" "$cmd" "$@" --html "$TMP/p.html" "$file" >"$TMP/seen" 2>&1 && rc=0 || rc=$?
    echo "[exit $rc]" >>"$TMP/seen"
    cmp -s "$TMP/plain" "$TMP/seen" || { echo "$cmd $file: --html changes the output"; diff "$TMP/plain" "$TMP/seen" | head; exit 1; }
    "$COHSIM" "$cmd" "$@" --html "$TMP/p.html" --explain-to "$TMP/log" "$file" >/dev/null 2>&1 || true
    head -c 15 "$TMP/p.html" | grep -q '<!DOCTYPE html>' || { echo "$cmd $file: no page"; exit 1; }
    if grep -E -i -e '<(img|link|iframe|object|embed|audio|video|source)[ >]' -e ' (src|href)=' \
        -e '@import' -e 'fetch\(' -e 'XMLHttpRequest' "$TMP/p.html" >/dev/null; then
        echo "$cmd $file: the page refers to another file"
        exit 1
    fi
    # the steps' narrations, as the page holds them, against the log's lines
    sed -n 's/^\[[0-9]*,"\(cycle [^"]*\)",\[.*/\1/p' "$TMP/p.html" | sed 's/\\u003c/</g; s/\\u003e/>/g; s/\\u0026/\&/g' >"$TMP/steps"
    grep '^cycle ' "$TMP/log" >"$TMP/lines" || true
    [ -s "$TMP/steps" ] || { echo "$cmd $file: a page without steps"; exit 1; }
    cmp -s "$TMP/steps" "$TMP/lines" || { echo "$cmd $file: the page's narration is not the log"; diff "$TMP/steps" "$TMP/lines" | head; exit 1; }
    if grep -e '^\[[0-9]*,"cycle .*\],"broken",-\{0,1\}[0-9]*\],$' "$TMP/p.html"; then
        echo "$cmd $file: the page of a run with no bug injected marks a broken invariant"
        exit 1
    fi
    if [ "$(tail -1 "$TMP/seen")" = "[exit 0]" ] &&
        grep -e '^\[[0-9]*,"cycle .*\],"failed",-\{0,1\}[0-9]*\],$' "$TMP/p.html"; then
        echo "$cmd $file: the page of a run whose checks pass marks a failed check"
        exit 1
    fi
    n=$((n + 1))
}

n=0
for f in traces/examples/*.trace; do
    preset=$(grep -o -e '--preset [a-z0-9-]*' "$f" | head -1 | cut -d' ' -f2)
    page run "$f" --preset "${preset:-x86-2}"
done
for f in isa/examples/*.s; do
    preset=$(grep -o -e '--preset [a-z0-9-]*' "$f" | head -1 | cut -d' ' -f2)
    page exec "$f" --preset "${preset:-x86-4}"
    grep -q 'id="code-0-[0-9]*"' "$TMP/p.html" || { echo "$f: no code on the page"; exit 1; }
    grep -q '\["c",0,[0-9]*\]' "$TMP/p.html" || { echo "$f: no fetch highlights a line"; exit 1; }
done
for f in tests/fixtures/litmus/SB.litmus tests/fixtures/litmus/MP.litmus; do
    page litmus "$f"
    grep -q 'id="code-1-1"' "$TMP/p.html" || { echo "$f: no code on the page"; exit 1; }
    grep -q 'id="final"' "$TMP/p.html" || { echo "$f: no final state on the page"; exit 1; }
done
echo "$n pages written"
[ "$n" -ge 16 ]

# marked steps: the page's step k is marked exactly when line k of the log reports a broken
# invariant or a failed check, with the core the line tells of
# marked PAGE LOG: the numbers of the marked steps with their mark and core, and of the log's lines
# that report one with the core of their line, in the same form
marked() {
    grep '^\[[0-9]*,"cycle ' "$1" | grep -n -o '\],"\(failed\|broken\)",-\{0,1\}[0-9]*\],$' \
        | sed 's/^\([0-9]*\):\],"\([a-z]*\)",\(-\{0,1\}[0-9]*\)\],$/\1 \2 \3/' >"$TMP/marks.page"
    grep '^cycle ' "$2" | awk '{
        mark = ""
        if ($0 ~ /^cycle +[0-9]+ +[a-z0-9]+ +check mode: an invariant is broken/) mark = "broken"
        else if ($0 ~ /: FAILS( \(.*\))?$/ || $0 ~ /: MISMATCH, the run stops$/) mark = "failed"
        if (mark != "") print NR, mark, ($3 ~ /^cpu[0-9]+$/ ? substr($3, 4) : -1)
    }' >"$TMP/marks.log"
    cmp "$TMP/marks.page" "$TMP/marks.log" || { diff "$TMP/marks.page" "$TMP/marks.log"; exit 1; }
    cat "$TMP/marks.page"
}
rc=0
"$COHSIM" run -q --check --inject no-invalidate --html "$TMP/inj.html" --explain-to "$TMP/inj.log" \
    traces/examples/message_passing.trace >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ]
[ "$(marked "$TMP/inj.html" "$TMP/inj.log")" = "24 broken 0" ]
printf '0 store 0x40 8 =5\n0 fence\n1 load 0x40 8 =6\n' >"$TMP/wrong.trace"
"$COHSIM" run -q --html "$TMP/wrong.html" --explain-to "$TMP/wrong.log" "$TMP/wrong.trace" \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ]
[ "$(marked "$TMP/wrong.html" "$TMP/wrong.log")" = "15 failed 1" ]
"$COHSIM" exec --html "$TMP/asrt.html" --explain-to "$TMP/asrt.log" isa/examples/barrier_nofpwb.s \
    >/dev/null 2>&1 || true
marked "$TMP/asrt.html" "$TMP/asrt.log" | grep -q ' failed [0-9]'
# an expect line that fails (the example is for arm-like-4; on the default x86-2 its expect fetch
# line fails)
"$COHSIM" run -q --html "$TMP/exp.html" --explain-to "$TMP/exp.log" \
    traces/examples/flush_instruction_cache.trace >/dev/null 2>&1 || true
marked "$TMP/exp.html" "$TMP/exp.log" | grep -q ' failed -1$'

# a cut page says where it stops
"$COHSIM" run -q --preset x86-2 --html "$TMP/cut.html" --max-events 10 traces/examples/demo.trace \
    2>"$TMP/err" >/dev/null
grep -q 'cut: "the page stops at cycle 5:' "$TMP/cut.html"
grep -q 'the page stops at cycle 5' "$TMP/err"
"$COHSIM" run -q --preset x86-2 --explain --max-events 10 traces/examples/demo.trace >"$TMP/cut.log" 2>/dev/null
[ "$(grep -c '^\[[0-9]*,"cycle ' "$TMP/cut.html")" -eq "$(grep -c '^cycle ' "$TMP/cut.log")" ]
"$COHSIM" run -q --preset x86-2 --html "$TMP/full.html" traces/examples/demo.trace >/dev/null
[ "$(grep -c '^\[[0-9]*,"cycle ' "$TMP/cut.html")" -lt "$(grep -c '^\[[0-9]*,"cycle ' "$TMP/full.html")" ]
grep -q 'cut: ""' "$TMP/full.html"

# an unwritable page: exit 2, a message naming it, nothing left behind
"$COHSIM" run -q --preset x86-2 --html "$TMP/nodir/p.html" traces/examples/demo.trace \
    >/dev/null 2>"$TMP/err" && rc=0 || rc=$?
[ "$rc" = 2 ]
grep -q "nodir/p.html" "$TMP/err"
[ ! -e "$TMP/nodir" ]
