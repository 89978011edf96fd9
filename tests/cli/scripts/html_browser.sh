#!/bin/sh
# The --html page in a real browser: the demo trace and the MP and SB litmus tests, each page
# stepped forwards and backwards with the keyboard in headless Chromium (tests/browser/
# html_page.mjs) and checked against the --explain log of the same run: narration word for word,
# the states the panels show, no console error, no network request; screenshots left in $TMP. A
# run with a bug injected under --check (exit 1) and one whose checked load fails: the step of the
# broken invariant or failed check, and no other, is highlighted and the note at the top jumps to
# it; the other pages have no note. A page of a window of the run starts from the state the whole
# run's page shows there.
set -eu
cd "$ROOT"
if [ ! -x /usr/bin/chromium ]; then
    echo "SKIP /usr/bin/chromium absent (Debian package chromium; scripts/setup.sh installs it)"
    exit 77
fi
if ! command -v node >/dev/null || [ ! -d node_modules/playwright-core ]; then
    echo "SKIP node or node_modules/playwright-core absent (scripts/setup.sh runs npm ci)"
    exit 77
fi
"$COHSIM" run -q --preset x86-2 --html "$TMP/demo.html" --explain-to "$TMP/demo.log" \
    traces/examples/demo.trace >/dev/null
"$COHSIM" litmus --html "$TMP/mp.html" --explain-to "$TMP/mp.log" tests/fixtures/litmus/MP.litmus \
    >/dev/null
"$COHSIM" litmus --html "$TMP/sb.html" --explain-to "$TMP/sb.log" tests/fixtures/litmus/SB.litmus \
    >/dev/null
rc=0
"$COHSIM" run -q --check --inject no-invalidate --html "$TMP/inject.html" \
    --explain-to "$TMP/inject.log" traces/examples/message_passing.trace >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ]
grep -q '^cycle 458  cpu0  check mode: an invariant is broken' "$TMP/inject.log"
printf '0 store 0x40 8 =5\n0 fence\n1 load 0x40 8 =6\n' >"$TMP/wrong.trace"
rc=0
"$COHSIM" run -q --html "$TMP/wrong.html" --explain-to "$TMP/wrong.log" "$TMP/wrong.trace" \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ]
grep -q 'MISMATCH, the run stops$' "$TMP/wrong.log"
node tests/browser/html_page.mjs "$TMP" demo "$TMP/demo.html" "$TMP/demo.log" \
    mp "$TMP/mp.html" "$TMP/mp.log" sb "$TMP/sb.html" "$TMP/sb.log" \
    inject "$TMP/inject.html" "$TMP/inject.log" wrong "$TMP/wrong.html" "$TMP/wrong.log" \
    >"$TMP/browser.out" 2>&1 || { cat "$TMP/browser.out"; exit 1; }
cat "$TMP/browser.out"
for n in demo mp sb inject wrong; do
    [ -s "$TMP/$n.png" ] || { echo "no screenshot of $n"; exit 1; }
done

# windows (--cycles FROM:) start from the whole run's state; --max-events so small that the events
# before the window are reduced to what they leave (the window's page keeps them in few changes)
"$COHSIM" run -q --preset x86-2 --html "$TMP/w1.html" --cycles 450: --max-events 3 \
    traces/examples/demo.trace >/dev/null 2>&1
"$COHSIM" run -q --preset x86-4 --html "$TMP/fpwb.html" traces/examples/flush_process_write_buffers.trace
"$COHSIM" run -q --preset x86-4 --html "$TMP/w2.html" --cycles 4000: --max-events 6 \
    traces/examples/flush_process_write_buffers.trace >/dev/null 2>&1
grep -q 'start: \[[1-9]' "$TMP/w1.html"
grep -q 'start: \[[1-9]' "$TMP/w2.html"
node tests/browser/html_window.mjs "$TMP/demo.html" "$TMP/w1.html" "$TMP/fpwb.html" "$TMP/w2.html"
