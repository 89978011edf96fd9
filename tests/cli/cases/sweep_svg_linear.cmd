cohsim sweep tests/fixtures/sweep/litmus.ini --out $TMP/o --jobs $TMP/jobs >/dev/null && sh $TMP/jobs
cohsim sweep tests/fixtures/sweep/litmus.ini --out $TMP/o --collect --svg $TMP/p.svg --x storebuf.entries --y positive --series litmus && cat $TMP/p.svg
