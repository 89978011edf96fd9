cohsim litmus --runs 50 --json $TMP/o.json tests/fixtures/litmus/iwp2.3.b.litmus >/dev/null
grep -E "\"(test|kind|ok|positive|negative|condition|observation)\"" $TMP/o.json
