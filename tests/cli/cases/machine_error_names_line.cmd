printf '0 load 0x40 8\n0 load 0x80 8\n' > $TMP/a.trace
printf '0 load 0x40 8\n0 CcCoherencyFlushAndPurgeCache nope NULL 0\n0 load 0x40 8\n' > $TMP/b.trace
cohsim run -q --preset x86-2 $TMP/a.trace $TMP/b.trace
echo "exit $?"
printf '        li r1, fname\n        li r2, 0x40000\n        map r9, r1, r2, r0, 1\n        halt\nfname:  .byte 0x61, 0\n' > $TMP/badmap.s
cohsim exec $TMP/badmap.s > /dev/null
