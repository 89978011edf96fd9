cohsim run -q --compat dinero tests/fixtures/reference/sort.din.data.xz
cohsim run -q --compat cachegrind tests/fixtures/reference/sort.lackey.xz --json $TMP/cg.json
grep -c '"D1mr"' $TMP/cg.json
