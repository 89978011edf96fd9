printf 'r 1000 4\n\ni 2000 4\nr 2000 0\n' > $TMP/a.xdin
cohsim trace stats --format xdin $TMP/a.xdin
printf 'r 1000 4\nr 2000 zz\n' > $TMP/b.xdin
cohsim trace stats --format xdin $TMP/b.xdin
printf 'r 1000 4\nr 2000 2000\n' > $TMP/c.xdin
cohsim trace stats --format xdin $TMP/c.xdin
printf 'r 1000 4\nw ffffffffffffffff 8\n' > $TMP/d.xdin
cohsim trace stats --format xdin $TMP/d.xdin
printf 'r 1000 4\nq 2000 4\n' > $TMP/e.xdin
cohsim trace stats --format xdin $TMP/e.xdin
