printf '0 store 0x100 8 =5\n0 fence\n' > $TMP/a
printf '0 load 0x200 8\n0 load 0x200 8\n' > $TMP/b
cohsim run -q --preset x86-4 $TMP/a $TMP/b --json $TMP/o.json && grep -c '"core"' $TMP/o.json
