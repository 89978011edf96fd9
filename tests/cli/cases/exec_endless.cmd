printf 'x: jmp x\n' > $TMP/loop.s
cohsim exec --max-insns 1000 $TMP/loop.s
