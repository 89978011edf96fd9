# --address-spaces: with one trace per core, shared makes equal addresses one line (threads of one
# program); separate gives each trace its own (programs of their own): no coherence traffic, and
# each core's caches count what its trace alone gives. The header and the JSON say which.
set -eu
cd "$TMP"
get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
i=0; : >a.trace
while [ $i -lt 200 ]; do
    printf '0 store 0x%x 8 =%d\n0 load 0x%x 8\n' $((0x4000 + (i % 50) * 64)) $i $((0x8000 + (i % 70) * 64)) >>a.trace
    i=$((i + 1))
done
"$COHSIM" run -q -p x86-2 --address-spaces shared --json shared.json a.trace a.trace
"$COHSIM" run -q -p x86-2 --address-spaces separate --json separate.json a.trace a.trace
"$COHSIM" run -q -p x86-2 --json alone.json a.trace
[ "$(get shared.json 'j["address_spaces"]')" = shared ]
# the default is the one that cannot invent sharing
"$COHSIM" run -q -p x86-2 --json default.json a.trace a.trace
[ "$(get default.json 'j["address_spaces"]')" = separate ]
cmp default.json separate.json
[ "$(get separate.json 'j["address_spaces"]')" = separate ]
[ "$(get shared.json 'j["coherence"]["invalidations"] > 0')" = True ]
[ "$(get separate.json 'j["coherence"]["invalidations"] + j["coherence"]["interventions"]')" = 0 ]
# each core's L1D and L2 count exactly what the trace alone gives
for c in 0 1; do
    [ "$(get separate.json "j['cores'][$c]['caches']['l1d'], j['cores'][$c]['caches']['l2']")" = \
      "$(get alone.json "j['cores'][0]['caches']['l1d'], j['cores'][0]['caches']['l2']")" ]
done
"$COHSIM" run -p x86-2 --address-spaces separate a.trace a.trace | head -1 | grep -q '(one per core, separate address spaces)'
"$COHSIM" run -p x86-2 --address-spaces shared a.trace a.trace | head -1 | grep -q '(one per core, shared address space)'
# a load's stated value is checked in its own space, and a failure names the trace's address
printf '0 store 0x40 8 =7\n0 load 0x40 8 =7\n' >own.trace
printf '0 load 0x40 8 =7\n' >other.trace
"$COHSIM" run -q -p x86-2 --address-spaces shared own.trace own.trace
status=0; "$COHSIM" run -q -p x86-2 -c storebuf.entries=0 --address-spaces separate own.trace other.trace 2>err.txt || status=$?
[ "$status" -eq 1 ] && grep -q 'other.trace:1: CPU 1 load 0x40 read 0 (0), expected 7' err.txt
# what cannot be placed: an address from 2^58 up, a view, a check of memory; a bad value;
# separate with one trace
printf '0 load 0x400000000000000 8\n' >high.trace
status=0; "$COHSIM" run -q -p x86-2 --address-spaces separate own.trace high.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'high.trace:1: address 0x400000000000000 is at or above 2^58' err.txt
printf 'file f size=4K\nmap 1 f base=0x10000\n' >view.trace
status=0; "$COHSIM" run -q -p x86-2 --address-spaces separate own.trace view.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'view.trace:2: map names a virtual address, which needs --address-spaces shared' err.txt
status=0; "$COHSIM" run -q --address-spaces private a.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "bad --address-spaces 'private': expected shared or separate" err.txt
status=0; "$COHSIM" run -q --address-spaces separate a.trace 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'separate needs one trace per core' err.txt
echo ok
