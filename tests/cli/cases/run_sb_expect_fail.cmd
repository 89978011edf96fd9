printf '0 store 0x1000 8 =1\n1 store 0x2000 8 =1\n0 load 0x2000 8 =1\n' > $TMP/t
cohsim run -q $TMP/t
