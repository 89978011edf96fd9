printf '0 load 0x10\n\n2 load 0x10\n' > $TMP/t
cohsim run --preset x86-2 $TMP/t
