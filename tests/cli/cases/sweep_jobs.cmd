cohsim sweep tests/fixtures/sweep/small.ini --out $TMP/out --jobs $TMP/jobs.txt --cohsim cohsim && cat $TMP/jobs.txt
