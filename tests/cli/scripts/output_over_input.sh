#!/bin/sh
# An output file that is one of the command's inputs (by name, through a hard link or another
# spelling) or another of its outputs is refused before anything runs: exit 2, a message naming
# both, and the input intact. Devices such as /dev/null may take several outputs.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP" || exit 1
cp "$ROOT/traces/examples/demo.trace" t.trace
cp "$ROOT/isa/examples/barrier.s" prog.s
cp "$ROOT/tests/fixtures/litmus/3.SB.litmus" sb.litmus
cp t.trace t.keep
cp prog.s prog.keep
cp sb.litmus sb.keep
ln t.trace hard.trace
# refused CMD...: exit 2 and the message (grep pattern $want) on stderr.
refused() {
    want=$1
    shift
    "$COHSIM" "$@" >out 2>err
    rc=$?
    [ $rc -eq 2 ] || fail "$* exited $rc, not 2"
    grep -q "$want" err || fail "$*: message: $(cat err)"
}
refused '^cohsim: run: --json t.trace is the input t.trace: writing it would replace the input' \
    run -q --json t.trace t.trace
refused '^cohsim: run: --csv hard.trace is the input t.trace' run -q --csv hard.trace t.trace
refused '^cohsim: run: --html ./t.trace is the input t.trace' run -q --html ./t.trace t.trace
"$COHSIM" presets --show x86-2 >c.ini || fail "presets --show"
cp c.ini c.keep
refused '^cohsim: run: --vcd c.ini is the input of --config (c.ini)' \
    run -q --config c.ini --vcd c.ini t.trace
refused '^cohsim: sweep: --csv c.ini is the input c.ini' sweep --csv c.ini c.ini
refused '^cohsim: run: --json a.json and --csv ./a.json name the same file: each output needs its own' \
    run -q --json a.json --csv ./a.json t.trace
[ -e a.json ] && fail "a.json written although the command line was refused"
refused '^cohsim: exec: --csv prog.s is the input prog.s' exec --csv prog.s prog.s
refused '^cohsim: litmus: --json sb.litmus is the input sb.litmus' litmus --json sb.litmus sb.litmus
refused '^cohsim: run: --explain-to t.trace is the input t.trace' run -q --explain-to t.trace t.trace
cmp -s t.trace t.keep || fail "t.trace changed"
cmp -s prog.s prog.keep || fail "prog.s changed"
cmp -s sb.litmus sb.keep || fail "sb.litmus changed"
cmp -s c.ini c.keep || fail "c.ini changed"
# Not clashes: two outputs on a device, an output beside its input, standard output.
"$COHSIM" run -q --json /dev/null --csv /dev/null t.trace || fail "two outputs on /dev/null"
"$COHSIM" run -q --json t.json --csv t.csv t.trace || fail "outputs beside the input"
grep -q '"cycles"' t.json || fail "t.json not written"
"$COHSIM" run -q --json - t.trace >stdout.json || fail "--json -"
cmp -s stdout.json t.json || fail "--json - differs from --json FILE"
echo ok
