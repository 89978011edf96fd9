cohsim sweep tests/fixtures/sweep/small.ini --run; echo "[$?]"
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o -j 2; echo "[$?]"
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --collect; echo "[$?]"
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --collect --svg $TMP/p.svg --x l1d.size; echo "[$?]"
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --collect --csv $TMP/c.csv; echo "[$?]"
cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/o --slurm $TMP/s --per-task 0; echo "[$?]"
cohsim sweep; echo "[$?]"
ls $TMP
