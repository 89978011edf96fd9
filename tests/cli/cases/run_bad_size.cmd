printf '# sizes\n0 load 0x10 3\n' > $TMP/t
cohsim run $TMP/t
