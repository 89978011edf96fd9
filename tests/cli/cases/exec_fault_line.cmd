printf '        li r1, 1\n        jmp data\ndata:   .quad 0xffffffffffffffff\n' > $TMP/jump_into_data.s
cohsim exec $TMP/jump_into_data.s
