# The locked read-modify-write instructions lorN, lxorN and cmpxchgN (what LOCK OR, LOCK XOR and
# LOCK CMPXCHG lower to): each old value and each result checked by assert; a failed assert exits 1.
set -eu
cd "$TMP"
cat >rmw.s <<'EOF'
.cpu 0
    li r1, 5
    st4 [0x1000], r1
    li r2, 7
    li r3, 9
    cmpxchg4 r2, [0x1000], r3    # 5 is not 7: stays 5; r2 = 5
    assert r2, 5
    ld4 r4, [0x1000]
    assert r4, 5
    cmpxchg4 r2, [0x1000], r3    # 5 is 5: becomes 9; r2 = 5
    assert r2, 5
    ld4 r4, [0x1000]
    assert r4, 9
    li r5, 12
    lxor4 r6, [0x1000], r5       # 9 ^ 12 = 5
    assert r6, 9
    lor4 r6, [0x1000], r5        # 5 | 12 = 13
    assert r6, 5
    ld4 r4, [0x1000]
    assert r4, 13
    li r7, -1
    st8 [0x2000], r7
    li r8, 1
    lxor8 r9, [0x2000], r8       # all ones ^ 1
    ld8 r9, [0x2000]
    assert r9, -2
    li r10, -2
    cmpxchg8 r10, [0x2000], r0   # equal in all 8 bytes: becomes 0
    ld8 r9, [0x2000]
    assert r9, 0
    lor8 r9, [0x2000], r7
    ld8 r9, [0x2000]
    assert r9, -1
    halt
EOF
"$COHSIM" exec rmw.s >out.txt
grep -q 'asserts: 10 checked, 0 failed' out.txt
echo ok
