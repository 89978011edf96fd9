# cohsim litmus: index files (@all, as herd7 and litmus7 read them) and directories name the
# tests to run; (LOCK) DEC, XOR, OR and CMPXCHG are taken, each with a verdict equal to herd7's for
# its twin (tests/fixtures/litmus/EXPECTED.tsv holds herd's).
set -eu
cd "$TMP"
fix=$ROOT/tests/fixtures
"$COHSIM" litmus "$fix/litmus-lock/@all" >idx.out
"$COHSIM" litmus "$fix/litmus-lock" >dir.out
ls "$fix/litmus-lock"/*.litmus | LC_ALL=C sort | xargs "$COHSIM" litmus >files.out
cmp dir.out files.out       # a directory: its *.litmus in name order
grep '^Test ' idx.out | cut -d' ' -f2 | tr '\n' ' ' |
    grep -q '^RMW-lockdec RMW-dec SB+lockdecs RMW-lockxor RMW-xor RMW-lockor RMW-or CAS-lock CAS SB+lockxors SB+lockors SB+lockcmpxchgs $'
# each verdict equals herd's for the twin
tail -n +2 "$fix/litmus-lock/EXPECTED.tsv" | while IFS="$(printf '\t')" read -r test twin want; do
    herd=$(awk -F'\t' -v t="$twin" '$1 == t { print $6 }' "$fix/litmus/EXPECTED.tsv")
    [ "$herd" = "$want" ] || { echo "$test: expected $want but herd says $herd for $twin"; exit 1; }
    got=$(awk -v t="$test" '$1 == "Observation" && $2 == t { print $3 }' idx.out)
    [ "$got" = "$want" ] || { echo "$test: $got, herd says $want"; exit 1; }
done
"$COHSIM" litmus --show-asm "$fix/litmus-lock/RMW-lockdec.litmus" | grep -q 'xadd4 r0'
# an index may name files by absolute path and other indexes; '#' comments and blank lines
mkdir sub
printf '# two tests\n\n%s/litmus/SB.litmus\n@more  # nested\n' "$fix" >@top
printf '%s/litmus/MP.litmus\n' "$fix" >@more
"$COHSIM" litmus --runs 20 @top >top.out
"$COHSIM" litmus --runs 20 "$fix/litmus/SB.litmus" "$fix/litmus/MP.litmus" >both.out
cmp top.out both.out
# what is refused
printf 'SB.litmus\nnosuch.litmus\n' >@bad
cp "$fix/litmus/SB.litmus" .
status=0; "$COHSIM" litmus @bad 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q '@bad:2: ./nosuch.litmus: No such file or directory' err.txt
status=0; "$COHSIM" litmus sub 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'sub: a directory without \*.litmus files' err.txt
printf 'X86 t\n{ x=0; }\n P0 ;\n LOCK DEC EAX ;\nexists (x=0)\n' >bad.litmus
status=0; "$COHSIM" litmus bad.litmus 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'unsupported operand form for LOCK DEC' err.txt
"$COHSIM" litmus --show-asm "$fix/litmus-lock/CAS-lock.litmus" | grep -q 'cmpxchg4 r1, \[0x[0-9a-f]*\], r2'
"$COHSIM" litmus --show-asm "$fix/litmus-lock/RMW-lockxor.litmus" | grep -q 'lxor4 r0'
printf 'X86 t\n{ x=0; }\n P0 ;\n LOCK CMPXCHG [x],$1 ;\nexists (x=0)\n' >bad.litmus
status=0; "$COHSIM" litmus bad.litmus 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q 'unsupported operand form for LOCK CMPXCHG' err.txt
printf 'X86 t\n{ x=0; }\n P0 ;\n LOCK AND [x],$1 ;\nexists (x=0)\n' >bad.litmus
status=0; "$COHSIM" litmus bad.litmus 2>err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "unknown instruction 'AND'" err.txt
echo ok
