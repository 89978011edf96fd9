#!/bin/sh
# Output files (sim/outfile.c): made through mkstemp beside the output and renamed, so a symbolic
# link planted at the old predictable temporary name (OUT.tmp.PID) is never written through; a
# link at the output's name is replaced, not followed; an error or a format refusal leaves nothing
# behind; a full device is blamed on the output; `--json -` is standard output.
set -u
fail() { echo "FAIL: $*"; exit 1; }
demo=$ROOT/traces/examples/demo.trace
cd "$TMP" || exit 1
echo precious >victim
# The shell's pid becomes cohsim's through exec: the planted link has the name cohsim once used.
sh -c 'ln -s victim out.json.tmp.$$ && exec "$1" run -q --json out.json "$2"' sh "$COHSIM" "$demo" \
    || fail "run --json with a link planted at the temporary's name"
[ "$(cat victim)" = precious ] || fail "the planted link was written through"
grep -q '"cycles"' out.json || fail "out.json was not written"
rm -f out.json.tmp.*
ln -s victim link.json
"$COHSIM" run -q --json link.json "$demo" || fail "run --json onto a link"
[ "$(cat victim)" = precious ] || fail "a link at the output's name was followed"
[ -L link.json ] && fail "the link was not replaced"
grep -q '"cycles"' link.json || fail "link.json was not written"
# A record the output format cannot carry: exit 2, no output, no temporary.
printf '0 load 0x40 8\n1 load 0x80 8\n' >two.trace
"$COHSIM" trace convert two.trace two.din --to din 2>err && fail "din accepted two CPUs"
grep -q 'two.trace:2: cannot be written as din' err || fail "refusal message: $(cat err)"
# A full device: the output is named, not the input line.
if [ -c /dev/full ]; then
    "$COHSIM" trace convert "$demo" /dev/full --to text 2>err && fail "/dev/full accepted"
    grep -q '^cohsim: /dev/full: write error: No space left on device' err ||
        fail "ENOSPC message: $(cat err)"
    [ -c /dev/full ] || fail "/dev/full is no longer a device"
fi
"$COHSIM" run -q --json - "$demo" >stdout.json || fail "run --json -"
cmp -s stdout.json link.json || fail "--json - differs from --json FILE"
# (listed before the listing file is made: the shell may create it before ls runs)
listed=$(ls -A | sort)
printf '%s\n' "$listed" >listing
printf '%s\n' err link.json out.json stdout.json two.trace victim >want
cmp -s listing want || fail "files left behind: $(diff want listing | grep '^>' | tr '\n' ' ')"
echo ok
