printf '        li r1, 0x9000\n        li r2, 4096\n        file r9, r1, r2, r0\n        halt\n' > $TMP/noname.s
cohsim exec $TMP/noname.s
