printf '0 load 0xzz 8\n' > $TMP/t
cohsim run $TMP/t
