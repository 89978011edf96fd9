# The SystemC TLM-2.0 binding (sim/systemc): the example platform's four patterns (store
# buffering with and without fences, message passing, the FlushProcessWriteBuffers asymmetric
# barrier) give the outcomes x86-TSO and the model promise, and each prints `cohsim run`'s
# statistics table. The second platform (the Verilated RTL as a SystemC module beside the C model
# behind the binding, fed the same transactions) compares all 10000 without a difference.
set -eu
build=${COHSIM_BUILD:-$ROOT/build}
platform=$build/systemc/platform
[ -x "$platform" ] || { echo "no $platform: make test builds it"; exit 1; }
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$platform" >"$TMP/out" 2>&1 || { cat "$TMP/out"; exit 1; }
for p in SB SB_mfences MP SB_fpwb; do
    grep -q "^systemc $p: .*: ok$" "$TMP/out" || { echo "no ok for $p"; cat "$TMP/out"; exit 1; }
done
[ "$(grep -c '^  coherence: [0-9]* bus transactions' "$TMP/out")" -eq 4 ]
[ "$(grep -c '^  core        cycles       load      store' "$TMP/out")" -eq 4 ]
grep -q '^systemc SB: r0=0 r1=0 ' "$TMP/out"
grep -q 'FlushProcessWriteBuffers STATUS_SUCCESS' "$TMP/out"
grep '^systemc ' "$TMP/out" | sed 's/^/show: /'

SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$build/systemc/rtl_platform" >"$TMP/rtl" 2>&1 || { cat "$TMP/rtl"; exit 1; }
grep -qx 'systemc-rtl: 10000 transactions compared' "$TMP/rtl" || { cat "$TMP/rtl"; exit 1; }
sed 's/^/show: /' "$TMP/rtl"
