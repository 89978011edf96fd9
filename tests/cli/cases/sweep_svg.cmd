cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --jobs $TMP/jobs >/dev/null && sh $TMP/jobs
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --collect --svg $TMP/p.svg --x l1d.size --y l1d_miss_rate --series l1d.repl && cat $TMP/p.svg
