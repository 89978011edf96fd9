printf 'start: li r1, 5\n        ld4 r2, [r1+4\n' > $TMP/bad.s
cohsim exec $TMP/bad.s
