printf '0 load 0x10\n0 frob 0x10\n' > $TMP/t
cohsim run $TMP/t --json $TMP/out.json; echo "status $?"; ls $TMP
