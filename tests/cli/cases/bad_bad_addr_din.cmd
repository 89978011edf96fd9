cohsim run --compat dinero --format din tests/fixtures/bad/bad_addr.din --json $TMP/out.json; s=$?; ls $TMP; exit $s
